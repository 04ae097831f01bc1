/**
 * `npm run ca:demo [-- --out DIR --commune CODE... --kind RSA|ECDSA --password PW --force-demo]`
 *
 * Creates a demo root CA and one signer PKCS#12 per demo signer user (or per --commune) in DIR
 * (default ./data/demo-ca), trusts the CA and authorises each certificate in the database.
 * Refuses unless the database is a demo database (LANDBOOK_DEMO on and the demo communes
 * loaded); --force-demo overrides that, for test and training databases only: a demo CA must
 * never be trusted where real books are signed.
 */
import path from 'node:path'
import { Command } from 'commander'
import { loadConfig } from '../src/config.js'
import { issueDemoSigners, isDemoDatabase } from '../src/signing/index.js'
import { run, withDatabase } from './cli.js'

const options = new Command('ca:demo')
  .option('--out <dir>', 'where the CA certificate and the .p12 files go', './data/demo-ca')
  .option('--commune <code...>', 'one signer per commune instead of one per signer user')
  .option('--kind <kind>', 'key type: RSA (2048) or ECDSA (P-256)', 'RSA')
  .option('--password <password>', 'password of the .p12 files', 'landbook-demo')
  .option('--force-demo', 'run even though the database is not a demo database')
  .parse()
  .opts<{ out: string; commune?: string[]; kind: string; password: string; forceDemo?: boolean }>()

run(() =>
  withDatabase(async (db) => {
    const config = loadConfig()
    if (!options.forceDemo && !(await isDemoDatabase(db.knex, config))) {
      throw new Error(
        'Cơ sở dữ liệu này không phải cơ sở dữ liệu thử nghiệm (LANDBOOK_DEMO tắt hoặc chưa có các xã demo); CA thử nghiệm không được dùng cho sổ thật. Dùng --force-demo nếu chắc chắn (not a demo database).',
      )
    }
    const kind = options.kind.toUpperCase()
    if (kind !== 'RSA' && kind !== 'ECDSA') throw new Error(`--kind phải là RSA hoặc ECDSA, không phải ${options.kind} (invalid key kind).`)
    const result = await issueDemoSigners(db.knex, { outDir: path.resolve(options.out), communes: options.commune, password: options.password, kind })
    process.stdout.write(`Demo root CA: ${result.caSubject}\n  ${result.caFile}\n`)
    for (const s of result.signers) process.stdout.write(`Signer ${s.username ?? ''} ${s.subject}\n  ${s.file} → communes ${s.communes.join(', ')}\n`)
    process.stdout.write(`Password of the .p12 files: ${options.password}\nSign with: npm run sign -- --commune ${result.signers[0]?.communes[0] ?? 'CODE'} --p12 ${result.signers[0]?.file ?? 'FILE.p12'}\n`)
  }),
)

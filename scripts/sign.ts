/**
 * `npm run sign -- --commune CODE --p12 FILE.p12 [--password PW] [--parcels 1,2,3] [--user NAME]
 *                  [--url http://host:3000 --username NAME --login-password PW]`
 *
 * The batch signer: prepares a batch of the commune's reconciled parcels, signs its root
 * statement here with the key in the PKCS#12 file (the key never leaves this machine), uploads
 * the CMS and prints the result. Without --url it works on the database directly through the
 * same services as the API (stop the server first on the embedded database); with --url it
 * signs in to a running Landbook as a signer.
 */
import fs from 'node:fs'
import { Command } from 'commander'
import { httpTransport, localTransport, readPkcs12, signCommune } from '../src/signing/index.js'
import { run, withDatabase } from './cli.js'

const options = new Command('sign')
  .requiredOption('--commune <code>', 'the commune to sign')
  .requiredOption('--p12 <file>', "the signer's PKCS#12 (.p12/.pfx) file")
  .option('--password <password>', 'its password (else LANDBOOK_P12_PASSWORD)', process.env.LANDBOOK_P12_PASSWORD ?? 'landbook-demo')
  .option('--parcels <ids>', 'only these parcel ids (comma separated); default: every reconciled parcel')
  .option('--user <username>', 'local mode: sign as this user (for authorisations tied to a user)')
  .option('--url <url>', 'a running Landbook to sign through its API')
  .option('--username <name>', 'with --url: the signer account')
  .option('--login-password <password>', 'with --url: its password (else LANDBOOK_PASSWORD)', process.env.LANDBOOK_PASSWORD)
  .parse()
  .opts<{ commune: string; p12: string; password: string; parcels?: string; user?: string; url?: string; username?: string; loginPassword?: string }>()

run(async () => {
  const signer = await readPkcs12(fs.readFileSync(options.p12), options.password)
  const parcelIds = options.parcels?.split(',').map((s) => Number(s.trim()))
  const report = (r: Awaited<ReturnType<typeof signCommune>>) => {
    const ms = Object.fromEntries(Object.entries(r.ms).map(([k, v]) => [k, Math.round(v)]))
    process.stdout.write(`${JSON.stringify({ commune: options.commune, batch: r.result.batch.id, state: r.result.batch.state, parcels: r.result.parcels, root: r.prepared.root, signer: r.result.batch.signer?.subject, ms }, null, 2)}\n`)
  }
  if (options.url) {
    if (!options.username || !options.loginPassword) throw new Error('--url cần --username và --login-password (or LANDBOOK_PASSWORD).')
    report(await signCommune(await httpTransport(options.url, options.username, options.loginPassword), options.commune, signer, parcelIds))
    return
  }
  await withDatabase(async (db) => {
    let userId: number | null = null
    if (options.user) {
      const user = await db.knex('users').where({ username: options.user.toLowerCase() }).first('id')
      if (!user) throw new Error(`Không có người dùng ${options.user} (no such user).`)
      userId = Number(user.id)
    }
    report(await signCommune(localTransport(db.knex, userId), options.commune, signer, parcelIds))
  })
})

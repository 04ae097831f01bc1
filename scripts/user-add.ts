/**
 * `npm run user:add -- --username U --role R [--communes 23500,23501] [--display-name "…"] [--password P]`:
 * creates a user (người dùng) through the same service as POST /api/users. Without
 * --password one is generated and printed once.
 */
import { Command, Option } from 'commander'
import { createUser, generatePassword, ROLES, type Role } from '../src/auth/index.js'
import { run, withDatabase } from './cli.js'

const options = new Command('user:add')
  .requiredOption('--username <name>', 'sign-in name (a–z, 0–9, . _ -)')
  .addOption(new Option('--role <role>', 'what the user does').choices(ROLES).makeOptionMandatory())
  .option('--communes <codes>', 'assigned communes, comma-separated (gis, clerk, signer)', '')
  .option('--display-name <name>', 'name shown in the app (default: the username)')
  .option('--password <password>', 'initial password (default: a generated one, printed once)')
  .parse()
  .opts<{ username: string; role: Role; communes: string; displayName?: string; password?: string }>()

run(() =>
  withDatabase(async (db) => {
    const password = options.password ?? generatePassword()
    const communes = options.communes.split(',').map((c) => c.trim()).filter(Boolean)
    const user = await createUser(db.knex, { username: options.username, role: options.role, displayName: options.displayName, password, communes })
    const where = user.communes.length > 0 ? `, communes ${user.communes.join(', ')}` : ''
    process.stdout.write(`User ${user.username} (${user.role}) created, id ${user.id}${where}.\n`)
    if (!options.password) process.stdout.write(`Password: ${password}\n(shown only this once; hand it to the user)\n`)
  }),
)

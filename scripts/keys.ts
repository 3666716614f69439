// Manage API keys on the database directly (for the first key of a deployment, or when locked out).
// `npm run keys -- --help` says how. Errors are one line on stderr, never a stack trace: exit code 2 for a
// usage error, 1 when the database refuses.
import { parseArgs } from 'node:util'
import { ROLES, type Role } from '../src/auth/keys.js'
import { isValidRegionCode } from '../src/regions/index.js'
import { DEFAULT_DATABASE_FILE } from '../src/startup.js'
import { oneLine, reportErrorsInOneLine, usageError } from './cli.js'

const HELP = `Manages nianbao's API keys on the database — DATABASE_URL (PostgreSQL) when set, else DATABASE_FILE
(default ${DEFAULT_DATABASE_FILE}) — while the service runs or not.

usage: npm run keys -- <command> [options]

  create --role <role> --name <name> [--region <prefix>]... [--agency <id>]... [--json]
                   creates a key and prints it once (it is stored only as a hash); role: ${ROLES.join(', ')};
                   a submitter needs a scope: GB/T 2260 region prefixes (63, 6302, 630223) and/or agency ids
  list             every key: id, role, name, scope, active or revoked (never the key itself)
  revoke <id>      revokes a key at once
  -h, --help       this text

Exit code: 0 when done, 1 when the database refuses (no such key, a database that cannot be opened),
2 for a usage error.`

const USAGE =
  'usage: npm run keys -- create --role <role> --name <name> [--region <prefix>]... [--agency <id>]... | list | revoke <id> (--help says more)'
reportErrorsInOneLine('keys')
function usage(message: string): never {
  return usageError('keys', message)
}

let parsed
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      region: { type: 'string', multiple: true },
      agency: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }
    }
  })
} catch (err) {
  const { code, message } = err as Error & { code?: string }
  const option = /'(-[^']*)'/.exec(message)?.[1]
  usage(
    code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option
      ? `unknown option ${option} (--help lists the options)`
      : `${oneLine(message)} (--help lists the options)`
  )
}
const { positionals, values } = parsed
if (values.help) {
  console.log(HELP)
  process.exit(0)
}
const [command, arg, ...extra] = positionals
if (extra.length > 0) usage(`unexpected argument: ${extra[0]}`)

// every argument is checked before the database is opened
let task: () => Promise<void>
if (command === 'create') {
  const role = values.role as Role | undefined
  if (!role || !ROLES.includes(role)) usage(`--role must be one of ${ROLES.join(', ')}`)
  const name = values.name
  if (!name) usage('--name is required (who holds the key)')
  if (arg !== undefined) usage(`unexpected argument: ${arg}`)
  const regions = values.region ?? []
  for (const r of regions)
    if (!/^[0-9]{2,6}$/.test(r) || !isValidRegionCode(r.padEnd(6, '0'))) usage(`--region ${r} is not a GB/T 2260 prefix`)
  const agencies = (values.agency ?? []).map((a) => (/^[1-9][0-9]*$/.test(a) ? Number(a) : usage(`--agency ${a} is not an id`)))
  const scoped = role === 'submitter' || role === 'reviewer'
  if (scoped && regions.length + agencies.length === 0) usage(`a ${role} needs --region and/or --agency`)
  if (!scoped && regions.length + agencies.length > 0) usage('only a submitter or a reviewer has a scope')
  task = async () => {
    const created = await (await open()).create({ name, role, regions, agencies })
    if (values.json) console.log(JSON.stringify(created))
    else {
      console.log(`created key ${created.id} (${created.role}) for ${created.name}`)
      console.log(created.key)
      console.error('keys: this is the only time the key is shown; it is stored only as a hash')
    }
  }
} else if (command === 'list') {
  if (arg !== undefined) usage(`unexpected argument: ${arg}`)
  task = async () => {
    for (const k of await (await open()).list()) {
      const scope =
        k.role === 'submitter' || k.role === 'reviewer'
          ? ` regions=${k.regions.join(',') || '-'} agencies=${k.agencies.join(',') || '-'}`
          : ''
      console.log(`${k.id}\t${k.role}\t${k.name}${scope}\t${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}`)
    }
  }
} else if (command === 'revoke') {
  if (!arg || !/^[1-9][0-9]*$/.test(arg)) usage('revoke needs a key id')
  task = async () => {
    await (await open()).revoke(Number(arg))
    console.log(`revoked key ${arg}`)
  }
} else {
  usage(command === undefined ? `no command given; ${USAGE}` : `unknown command ${command}; ${USAGE}`)
}

let close: (() => Promise<void>) | undefined
async function open() {
  const { createEngine, databaseFromEnv } = await import('../db/engines/index.js')
  const database = databaseFromEnv()
  if (!database.url) {
    const { checkDatabaseFile } = await import('../src/startup.js')
    checkDatabaseFile(database.file)
  }
  const { createServices } = await import('../src/plugins/database.js')
  const engine = await createEngine({ ...database, poolSize: 2 })
  close = () => engine.close()
  return createServices(engine).services.keys
}

try {
  await task()
} catch (err) {
  console.error(`keys: ${oneLine((err as Error).message)}`)
  process.exitCode = 1
} finally {
  await close?.()
}

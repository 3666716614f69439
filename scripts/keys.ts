// Manage API keys on the database directly (for the first key of a deployment, or when locked out):
//   npm run keys -- create --role submitter --region 6302 [--region 63..] [--agency 12] --name "海东市政务公开办"
//   npm run keys -- list
//   npm run keys -- revoke <id>
// The database is DATABASE_URL (PostgreSQL) when set, else DATABASE_FILE (default data/nianbao.db). The new key is printed once, to stdout.
import { parseArgs } from 'node:util'
import { createEngine, databaseFromEnv } from '../db/engines/index.js'
import { createServices } from '../src/plugins/database.js'
import { ROLES, type Role } from '../src/auth/keys.js'
import { isValidRegionCode } from '../src/regions/index.js'

function fail(message: string): never {
  console.error(`keys: ${message}`)
  process.exit(2)
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    role: { type: 'string' },
    name: { type: 'string' },
    region: { type: 'string', multiple: true },
    agency: { type: 'string', multiple: true },
    json: { type: 'boolean' }
  }
})
const [command, arg] = positionals
const engine = await createEngine({ ...databaseFromEnv(), poolSize: 2 })
const keys = createServices(engine).services.keys

try {
  if (command === 'create') {
    const role = values.role as Role | undefined
    if (!role || !ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`)
    if (!values.name) fail('--name is required (who holds the key)')
    const regions = values.region ?? []
    for (const r of regions) if (!/^[0-9]{2,6}$/.test(r) || !isValidRegionCode(r.padEnd(6, '0'))) fail(`--region ${r} is not a GB/T 2260 prefix`)
    const agencies = (values.agency ?? []).map((a) => (/^[1-9][0-9]*$/.test(a) ? Number(a) : fail(`--agency ${a} is not an id`)))
    if (role === 'submitter' && regions.length + agencies.length === 0) fail('a submitter needs --region and/or --agency')
    if (role !== 'submitter' && regions.length + agencies.length > 0) fail('only a submitter has a scope')
    const created = await keys.create({ name: values.name, role, regions, agencies })
    if (values.json) console.log(JSON.stringify(created))
    else {
      console.log(`created key ${created.id} (${created.role}) for ${created.name}`)
      console.log(created.key)
      console.error('keys: this is the only time the key is shown; it is stored only as a hash')
    }
  } else if (command === 'list') {
    for (const k of await keys.list()) {
      const scope = k.role === 'submitter' ? ` regions=${k.regions.join(',') || '-'} agencies=${k.agencies.join(',') || '-'}` : ''
      console.log(`${k.id}\t${k.role}\t${k.name}${scope}\t${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}`)
    }
  } else if (command === 'revoke') {
    if (!arg || !/^[1-9][0-9]*$/.test(arg)) fail('revoke needs a key id')
    await keys.revoke(Number(arg))
    console.log(`revoked key ${arg}`)
  } else {
    fail('usage: keys create --role <admin|submitter|reader> --name <name> [--region <prefix>]... [--agency <id>]... | keys list | keys revoke <id>')
  }
} catch (err) {
  fail((err as Error).message)
} finally {
  await engine.close()
}

// The start's one-line messages, as pure functions (the start itself is spawned in test/scripts/start-checks).
import t from 'tap'
import { ConfigSchema } from '../src/config.js'
import { configurationProblem, describeDatabase, startLine } from '../src/startup.js'

t.test('the database as the start line shows it: a file, or a URL without its password', async (t) => {
  t.equal(describeDatabase('postgres://nianbao:s3cret@db.internal:5432/nianbao'), 'postgres://nianbao:***@db.internal:5432/nianbao')
  t.equal(describeDatabase('postgresql://db.internal/nianbao'), 'postgresql://db.internal/nianbao', 'nothing to hide')
  t.equal(describeDatabase(':memory:'), ':memory: (in memory, gone when the server stops)')
  t.equal(describeDatabase('data/nianbao.db'), 'data/nianbao.db', 'relative to the working directory')
  t.equal(describeDatabase('/srv/nianbao/nianbao.db'), '/srv/nianbao/nianbao.db', 'outside it: absolute')
})

t.test('the start line names the address a browser can open', async (t) => {
  const tail = { database: 'data/nianbao.db' }
  t.equal(
    startLine({ address: { address: '0.0.0.0', port: 3000 }, ...tail }),
    'nianbao: API http://localhost:3000/v1 · docs http://localhost:3000/docs · database data/nianbao.db'
  )
  t.equal(
    startLine({ address: { address: '::', port: 8080 }, ...tail }),
    'nianbao: API http://localhost:8080/v1 · docs http://localhost:8080/docs · database data/nianbao.db'
  )
  t.equal(
    startLine({ address: { address: '::1', port: 3000 }, ...tail, keyNote: 'admin key written to k' }),
    'nianbao: API http://[::1]:3000/v1 · docs http://[::1]:3000/docs · database data/nianbao.db · admin key written to k'
  )
})

t.test('a configuration error: each setting, its value and what it may be', async (t) => {
  const schema = ConfigSchema as never
  const err = Object.assign(new Error('env/LOG_LEVEL must be equal to constant'), {
    errors: [
      { instancePath: '/LOG_LEVEL', keyword: 'const', params: {}, message: 'must be equal to constant' },
      { instancePath: '/LOG_LEVEL', keyword: 'anyOf', params: {}, message: 'must match a schema in anyOf' },
      { instancePath: '/BODY_LIMIT', keyword: 'minimum', params: {}, message: 'must be >= 1024' },
      { instancePath: '/BOOTSTRAP_ADMIN_KEY', keyword: 'minLength', params: {}, message: 'must NOT have fewer than 16 characters' }
    ]
  })
  t.equal(
    configurationProblem(err, schema, { LOG_LEVEL: 'loud', BODY_LIMIT: '10', BOOTSTRAP_ADMIN_KEY: 'short' }),
    'invalid configuration: LOG_LEVEL=loud: must be one of fatal, error, warn, info, debug, trace, silent; BODY_LIMIT=10: must be a whole number from 1024 to 1073741824; BOOTSTRAP_ADMIN_KEY (5 characters): must be at least 16 characters'
  )
  const url = Object.assign(new Error('x'), {
    errors: [{ instancePath: '/DATABASE_URL', keyword: 'pattern', params: {}, message: 'must match pattern "^postgres"' }]
  })
  t.equal(
    configurationProblem(url, schema, { DATABASE_URL: 'mysql://u:pw@h/db' }),
    'invalid configuration: DATABASE_URL=mysql://u:***@h/db: must match pattern "^postgres"',
    'no password shown'
  )
  t.equal(
    configurationProblem(new Error('first\nsecond'), schema),
    'invalid configuration: first',
    'an error without details: its first line'
  )
})

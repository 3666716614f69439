import t from 'tap'
import { readFileSync } from 'node:fs'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { generateClientTypes, generateOpenApi } from '../scripts/openapi.js'
import { childEnv } from './child.js'

const committedFile = new URL('../openapi/openapi.json', import.meta.url)

t.test('the committed OpenAPI document is what the code generates', async (t) => {
  const generated = await generateOpenApi()
  const committed = readFileSync(committedFile, 'utf8')
  t.ok(generated === committed, 'openapi/openapi.json is up to date (run `npm run openapi` after changing routes or schemas)')
})

t.test('the typed client’s types are what openapi-typescript makes of the committed document', async (t) => {
  const committed = readFileSync(committedFile, 'utf8')
  const types = readFileSync(new URL('./client/openapi.d.ts', import.meta.url), 'utf8')
  t.ok(types === (await generateClientTypes(committed)), 'test/client/openapi.d.ts is up to date (npm run openapi)')
})

t.test('every operation is tagged, summarised, identified and documents its errors', async (t) => {
  const doc = JSON.parse(readFileSync(committedFile, 'utf8'))
  t.equal(doc.openapi, '3.1.0')
  const operationIds = new Set<string>()
  for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${path}`
      t.ok(Array.isArray(op.tags) && (op.tags as string[]).length > 0, `${where} has a tag`)
      t.type(op.summary, 'string', `${where} has a summary`)
      t.type(op.operationId, 'string', `${where} has an operationId`)
      t.notOk(operationIds.has(op.operationId as string), `${where} operationId is unique`)
      operationIds.add(op.operationId as string)
      const responses = op.responses as Record<string, { content?: Record<string, unknown> }>
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400)
          t.ok(response.content?.['application/problem+json'] ?? response.content?.['application/json'], `${where} ${status} has a body`)
      }
      if (path.startsWith('/v1/') && method !== 'get') t.ok(responses['422'] || responses['404'], `${where} documents its 4xx`)
    }
  }
  const cell = doc.components.schemas.Applications2021.properties.outcomes.properties.denied.properties.stateSecret.properties.total
  t.match(cell.description, /（三）不予公开 1\.属于国家秘密 · 总计/, 'cells carry their official label')
  t.equal(doc.components.schemas.ReportInput.examples[0].proactive.licensing.decisions, 78, 'the sample report is the example')
})

const root = new URL('..', import.meta.url).pathname
const run = promisify(execFile)

t.test('Redocly lints the document clean under recommended-strict (redocly.yaml)', async (t) => {
  const bin = new URL('../node_modules/.bin/redocly', import.meta.url).pathname
  const { stdout, stderr } = await run(bin, ['lint', '--config', 'redocly.yaml', '--format=stylish', 'openapi/openapi.json'], {
    cwd: root,
    env: childEnv(process.env, { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' })
  })
  t.notMatch(stdout + stderr, /\d+:\d+\s+(error|warning)\b/, 'no errors, no warnings')
  t.match(stdout + stderr, /valid/)
})

t.test('Spectral with the OWASP ruleset finds nothing but the waivers written in .spectral.yaml', async (t) => {
  const bin = new URL('../node_modules/.bin/spectral', import.meta.url).pathname
  // exits non-zero (and so rejects) on any finding, hints included
  const { stdout } = await run(bin, ['lint', '-r', '.spectral.yaml', '--fail-severity=hint', '-f', 'text', 'openapi/openapi.json'], {
    cwd: root,
    env: childEnv()
  })
  t.match(stdout, /No results with a severity of 'hint' or higher found/)
  const ruleset = readFileSync(new URL('../.spectral.yaml', import.meta.url), 'utf8')
  for (const line of ruleset.split('\n').map((l, i, all) => [l, all[i - 1] ?? ''] as const)) {
    if (/^ {2}[\w:-]+:\s*off\s*$/.test(line[0])) {
      t.match(line[1], /^\s*#/, `waiver ${line[0].trim()} has its reason above it`)
    }
  }
})

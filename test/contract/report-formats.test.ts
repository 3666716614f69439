// The report body as the OpenAPI document describes it — one shape per format, `oneOf` by `format` — against
// the server: the documented schema accepts what the server accepts and serves, and refuses the bodies the
// server refuses because they mix the formats' cells.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { buildTestApp, createAgency, json, sampleReport } from '../helper.js'
import { report2019 } from '../fixtures/report-2019.js'

type Json = Record<string, unknown>
const doc = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as {
  components: { schemas: Record<string, Json> }
}

// every component as a schema of its own, `#/components/schemas/X` as `X`; `discriminator` (its mapping is
// OpenAPI's, not JSON Schema's) left out: `oneOf` alone says the same, and is what is checked
const ajv = new Ajv({ allErrors: true, strict: false })
addFormats.default(ajv, ['date', 'date-time', 'uri', 'int32', 'int64'])
for (const [name, schema] of Object.entries(doc.components.schemas)) {
  const plain = JSON.parse(JSON.stringify(schema), (key, value) =>
    key === '$ref' ? String(value).replace('#/components/schemas/', '') : key === 'discriminator' ? undefined : value
  )
  ajv.addSchema({ ...plain, $id: name })
}
const valid = (name: string, body: unknown) => ajv.validate(name, body)

t.test('the documented report is one of two shapes, by format', async (t) => {
  for (const name of ['ReportInput', 'ReportReplace', 'Report']) {
    const schema = doc.components.schemas[name]
    t.same(schema.oneOf, [{ $ref: `#/components/schemas/${name}2019` }, { $ref: `#/components/schemas/${name}2021` }], name)
    t.match(schema.discriminator, { propertyName: 'format' })
  }
  t.same(Object.keys((doc.components.schemas.Proactive2021 as { properties: Json }).properties), [
    'regulations',
    'normativeDocuments',
    'licensing',
    'penalty',
    'coercion',
    'fees'
  ])
})

t.test('what the server accepts and serves, the documented schemas accept', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  for (const [format, body] of [
    ['2021', sampleReport(agencyId)],
    ['2019', report2019(agencyId)]
  ] as const) {
    t.ok(valid('ReportInput', body), `a ${format} body is a ReportInput: ${ajv.errorsText()}`)
    t.ok(valid(`ReportInput${format}`, body), `of format ${format}`)
    t.notOk(valid(`ReportInput${format === '2019' ? '2021' : '2019'}`, body), 'and not of the other')
    const res = await app.inject({ method: 'POST', url: '/v1/reports', payload: body })
    t.equal(res.statusCode, 201, res.body)
    t.ok(valid('Report', json(res)), `the ${format} report served is a Report: ${ajv.errorsText()}`)
    t.ok(valid(`Report${format}`, json(res)))
  }
  // a 2019 body may leave out the rows format 2021 added (the server serves them, every cell null)
  const short = report2019(agencyId, 2019) as unknown as { applications: { outcomes: { other: Json } } }
  delete short.applications.outcomes.other.overdueCorrection
  delete short.applications.outcomes.other.unpaidFee
  t.ok(valid('ReportInput', short), ajv.errorsText())
  const res = await app.inject({ method: 'POST', url: '/v1/reports', payload: short })
  t.equal(res.statusCode, 201, res.body)
  t.equal(json(res).applications.outcomes.other.overdueCorrection.total, null)
  t.ok(valid('Report2019', json(res)), ajv.errorsText())
})

t.test('a body mixing the formats is refused by the documented schema and by the server alike', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  const cases: Array<[string, (agencyId: number) => Json, string]> = [
    [
      'a 2021 report with a row of 2019',
      (id) => {
        const body = sampleReport(id) as unknown as Json & { proactive: Json }
        body.proactive.procurement = { projects: 1, amountYuan: 10 }
        return body
      },
      '/proactive/procurement'
    ],
    [
      'a 2021 report with a column of 2019',
      (id) => {
        const body = sampleReport(id) as unknown as Json & { proactive: { licensing: Json } }
        body.proactive.licensing.previousItems = 3
        return body
      },
      '/proactive/licensing/previousItems'
    ],
    [
      'a 2021 report without a row 2021 added',
      (id) => {
        const body = sampleReport(id) as unknown as Json & { applications: { outcomes: { other: Json } } }
        delete body.applications.outcomes.other.unpaidFee
        return body
      },
      '/applications/outcomes/other/unpaidFee'
    ],
    [
      'a 2019 report with a figure in a row only 2021 has',
      (id) => {
        const body = report2019(id) as unknown as Json & { applications: { outcomes: { other: { unpaidFee: Json } } } }
        body.applications.outcomes.other.unpaidFee.naturalPerson = 1
        return body
      },
      '/applications/outcomes/other/unpaidFee/naturalPerson'
    ],
    [
      'a 2019 report without a row of 2019',
      (id) => {
        const body = report2019(id) as unknown as Json & { proactive: Json }
        delete body.proactive.otherServices
        return body
      },
      '/proactive/otherServices'
    ]
  ]
  for (const [what, make, pointer] of cases) {
    const body = make(agencyId)
    t.notOk(valid('ReportInput', body), `${what}: the document refuses it`)
    const res = await app.inject({ method: 'POST', url: '/v1/reports', payload: body })
    t.equal(res.statusCode, 422, `${what}: the server refuses it`)
    t.ok(
      (json(res).errors as Array<{ pointer: string }>).some((e) => e.pointer.startsWith(pointer)),
      `${what}: the error points at ${pointer}`
    )
  }
  t.equal((await app.inject('/v1/reports')).json().items.length, 0, 'nothing was written')
})

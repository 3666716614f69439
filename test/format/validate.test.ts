// A request body's values are checked once: the JSON schema says that counts are whole, that every value is
// within its bound and that texts fit their length, so toReportInput's checkShape leaves those to it
// (`schemaValidated`) and checks what the schema cannot say (the cells of the format, money exact in its
// stored unit). These tests hold that a body breaking any value rule is still a 422 naming the same cell on
// every path that writes or checks a report, and that the rules the schema cannot say are still checked.
import t from 'tap'
import { buildTestApp, createAgency, json, sampleReport, type TestApp } from '../helper.js'
import { CELLS, COUNT_MAX, SECTION_MAX_LENGTH, TITLE_MAX_LENGTH, cellsOf } from '../../src/format/registry.js'
import { checkShape, emptyReport, setCell, type ReportInput } from '../../src/format/document.js'
import { toReportInput, toReportInputs } from '../../src/format/validate.js'

type Body = Record<string, unknown>
interface Problem {
  status: number
  detail: string
  errors: Array<{ pointer: string; message: string }>
}

/** Every path that takes a report body, given the (agency, year) of a stored accepted report and its id. */
const PATHS: Array<{
  name: string
  base: string
  send(app: TestApp, doc: ReportInput, id: number, headers?: Record<string, string>): Promise<{ statusCode: number; body: string }>
}> = [
  {
    name: 'POST /v1/reports',
    base: '',
    send: (app, doc, _id, headers) => app.inject({ method: 'POST', url: '/v1/reports', headers, payload: { ...doc, year: 2024 } })
  },
  {
    name: 'POST /v1/reports/batch',
    base: '/reports/0',
    send: (app, doc, _id, headers) => app.inject({ method: 'POST', url: '/v1/reports/batch', headers, payload: { reports: [doc] } })
  },
  {
    name: 'PUT /v1/agencies/{id}/reports/{year}',
    base: '',
    send: (app, doc, _id, headers) =>
      app.inject({ method: 'PUT', url: `/v1/agencies/${doc.agencyId}/reports/${doc.year}`, headers, payload: doc })
  },
  {
    name: 'PUT /v1/reports/{id}',
    base: '',
    send: (app, doc, id, headers) => app.inject({ method: 'PUT', url: `/v1/reports/${id}`, headers, payload: doc })
  },
  {
    name: 'POST /v1/reports/{id}/corrections',
    base: '/report',
    send: (app, doc, id, headers) => {
      const { agencyId: _a, year: _y, ...report } = doc
      return app.inject({ method: 'POST', url: `/v1/reports/${id}/corrections`, headers, payload: { reason: '更正', report } })
    }
  },
  {
    name: 'POST /v1/validate',
    base: '',
    send: (app, doc, _id, headers) => app.inject({ method: 'POST', url: '/v1/validate', headers, payload: doc })
  }
]

/** The sample report with `change` made to a copy of it. */
const changed = (agencyId: number, change: (doc: Body) => void): ReportInput => {
  const doc = sampleReport(agencyId)
  change(doc as unknown as Body)
  return doc
}

t.test('a value the schema refuses is a 422 naming its cell on every path, and nothing is written', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  const stored = await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2025`, payload: sampleReport(agencyId) })
  t.equal(stored.statusCode, 201)
  const { id, revision } = json(stored)
  const faults: Array<{ name: string; pointer: string; change(doc: Body): void; message: string }> = [
    {
      name: 'a count that is not whole',
      pointer: '/applications/newReceived/total',
      change: (doc) => setCell(doc, 'applications.newReceived.total', 0.5),
      message: '必须是整数，空白单元格填 null'
    },
    {
      name: 'a count beyond its bound',
      pointer: '/reviewLitigation/review/total',
      change: (doc) => setCell(doc, 'reviewLitigation.review.total', COUNT_MAX + 1),
      message: '必须不大于 1000000000'
    },
    {
      name: 'a negative count beyond its bound',
      pointer: '/proactive/licensing/decisions',
      change: (doc) => setCell(doc, 'proactive.licensing.decisions', -(COUNT_MAX + 1)),
      message: '必须不小于 -1000000000'
    },
    {
      name: 'money beyond its bound',
      pointer: '/proactive/fees/amountWanYuan',
      change: (doc) => setCell(doc, 'proactive.fees.amountWanYuan', 100_000_000.5),
      message: '必须不大于 100000000'
    },
    {
      name: 'a section too long',
      pointer: '/sections/problems',
      change: (doc) => {
        ;(doc.sections as Body).problems = '问'.repeat(SECTION_MAX_LENGTH + 1)
      },
      message: `不能超过 ${SECTION_MAX_LENGTH} 个字符`
    },
    {
      name: 'a title too long',
      pointer: '/title',
      change: (doc) => {
        doc.title = '题'.repeat(TITLE_MAX_LENGTH + 1)
      },
      message: `不能超过 ${TITLE_MAX_LENGTH} 个字符`
    }
  ]
  for (const fault of faults) {
    for (const path of PATHS) {
      const res = await path.send(app, changed(agencyId, fault.change), id)
      const problem = json(res) as Problem
      t.equal(res.statusCode, 422, `${fault.name}: ${path.name}`)
      // the schema's own error (in the default language), and no other: checkShape never ran
      t.same(problem.errors, [{ pointer: `${path.base}${fault.pointer}`, message: fault.message }], `${fault.name}: ${path.name}`)
    }
  }
  const after = json(await app.inject(`/v1/reports/${id}`))
  t.equal(after.revision, revision, 'the stored report did not move')
  t.equal(json(await app.inject('/v1/reports')).items.length, 1, 'no report was created')
})

t.test('money with more decimals than its unit is a 422 from checkShape on every path', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  const stored = await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2025`, payload: sampleReport(agencyId) })
  const { id } = json(stored)
  const cell = CELLS.find((c) => c.code === 'proactive.fees.amountWanYuan')!
  for (const path of PATHS) {
    const res = await path.send(
      app,
      changed(agencyId, (doc) => setCell(doc, cell, 1.2345678)),
      id,
      { 'accept-language': 'en' }
    )
    t.equal(res.statusCode, 422, path.name)
    t.same(
      (json(res) as Problem).errors,
      [
        {
          // into the body, as the schema's own pointers are: /report/… on the corrections route
          pointer: `${path.base}/proactive/fees/amountWanYuan`,
          message: `${cell.label} carries more than ${cell.decimals} decimals (万元); it cannot be stored exactly`
        }
      ],
      path.name
    )
  }
})

t.test('every value rule left to the schema is one the schema checks, for every cell of both formats', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  for (const format of ['2021', '2019'] as const) {
    const year = format === '2021' ? 2025 : 2020
    // one request per rule and format, every cell of the format broken at once
    const rules: Array<[string, (cell: (typeof CELLS)[number]) => number | undefined]> = [
      ['not whole', (cell) => (cell.kind === 'money' ? undefined : 1.5)],
      ['above the bound', (cell) => cell.max * 2],
      ['below the bound', (cell) => -cell.max * 2]
    ]
    for (const [rule, badValue] of rules) {
      const doc = emptyReport(format, { agencyId, year }) as unknown as Body
      const broken: string[] = []
      for (const cell of cellsOf(format)) {
        const value = badValue(cell)
        if (value === undefined) continue
        setCell(doc, cell, value)
        broken.push(`/reports/0/${cell.path.join('/')}`)
      }
      // what checkShape finds when it checks everything (an import's commit): one error per broken cell
      t.equal(checkShape(doc as unknown as ReportInput).length, broken.length, `${format} ${rule}: checkShape finds each`)
      // the request: the schema names each broken cell
      const res = await app.inject({ method: 'POST', url: '/v1/reports/batch', payload: { reports: [doc] } })
      t.equal(res.statusCode, 422, `${format} ${rule}`)
      const pointers = new Set((json(res) as Problem).errors.map((e) => e.pointer))
      t.same(
        broken.filter((p) => !pointers.has(p)),
        [],
        `${format} ${rule}: the schema names every cell (${broken.length})`
      )
    }
  }
})

t.test('toReportInput checks what the schema cannot say, as checkShape does', async (t) => {
  // the cells of the format: a row 2019 does not have, a missing cell, a 2021-only row filled in a 2019 report
  const wrong = emptyReport('2021', { agencyId: 1, year: 2025 })
  ;(wrong.proactive as Body).procurement = { projects: 1, amountYuan: 2 }
  delete (wrong.proactive.regulations as Body).inForce
  setCell(wrong as unknown as Body, 'proactive.fees.amountWanYuan', 0.000001)
  const old = emptyReport('2019', { agencyId: 1, year: 2020 })
  setCell(old as unknown as Body, 'applications.outcomes.other.unpaidFee.total', 3)
  setCell(old as unknown as Body, 'proactive.procurement.amountYuan', 0.001)
  for (const [name, doc] of [
    ['2021', wrong],
    ['2019', old]
  ] as const) {
    const expected = checkShape(doc)
    t.ok(expected.length >= 2, `${name}: ${expected.map((e) => e.pointer)}`)
    t.same(checkShape(doc, '', { schemaValidated: true }), expected, `${name}: the same errors, in the same order`)
    t.throws(() => toReportInput(doc), { statusCode: 422, errors: expected }, `${name}: toReportInput`)
    t.throws(
      () => toReportInputs([emptyReport('2021', { agencyId: 1, year: 2025 }), doc]),
      { statusCode: 422, errors: checkShape(doc, '/reports/1') },
      `${name}: toReportInputs`
    )
  }
  t.same(checkShape(emptyReport('2019'), '', { schemaValidated: true }), [])
})

t.test('an import, which never meets the schema, is still held to every value rule', async (t) => {
  const doc = emptyReport('2021') as unknown as Body
  setCell(doc, 'applications.newReceived.total', 0.5)
  setCell(doc, 'reviewLitigation.review.total', COUNT_MAX + 1)
  ;(doc.sections as Body).overview = '概'.repeat(SECTION_MAX_LENGTH + 1)
  t.same(
    checkShape(doc as unknown as ReportInput).map((e) => e.pointer),
    ['/sections/overview', '/applications/newReceived/total', '/reviewLitigation/review/total']
  )
})

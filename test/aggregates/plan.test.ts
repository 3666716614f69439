import t from 'tap'
import { parseGroupBy, parseMetrics, parseSort, planAggregate, METRIC_BY_CODE } from '../../src/aggregates/index.js'

const ok = <T>(r: { ok: true; value: T } | { ok: false }) => {
  if (!r.ok) throw new Error('expected a plan')
  return r.value
}

t.test('metrics: a list of codes, deduplicated; reports by default', async (t) => {
  t.same(
    ok(parseMetrics(undefined)).map((m) => m.code),
    ['reports']
  )
  t.same(
    ok(parseMetrics(' disclosureRate , applications.newReceived.total,disclosureRate,')).map((m) => m.code),
    ['disclosureRate', 'applications.newReceived.total']
  )
  const bad = parseMetrics('disclosureRate,publicRate,applications.newReceived.totl')
  t.notOk(bad.ok)
  if (bad.ok) return
  t.same(
    bad.errors.map((e) => e.parameter),
    ['metrics', 'metrics']
  )
  t.match(bad.errors[0].message, /^unknown metric 'publicRate'/)
  t.match(bad.errors[1].message, /\(did you mean 'applications\.newReceived\.total'\?\)/)
  t.ok(bad.errors[0].allowed!.includes('applications.outcomes.denied.total'))
  const many = parseMetrics([...METRIC_BY_CODE.keys()].slice(0, 65).join(','))
  t.match(many, { ok: false, errors: [{ parameter: 'metrics', message: 'at most 64 metrics per request (got 65)' }] })
})

t.test('group keys and sorts', async (t) => {
  t.same(ok(parseGroupBy('year, province,year')), ['year', 'province'])
  t.same(ok(parseGroupBy('')), [])
  t.match(parseGroupBy('year,city,town'), { ok: false, errors: [{ parameter: 'groupBy', message: /'city'/ }, { message: /'town'/ }] })
  const metrics = ok(parseMetrics('disclosureRate'))
  t.same(ok(parseSort('-disclosureRate,year', ['year'], metrics)), [
    { by: 'disclosureRate', desc: true },
    { by: 'year', desc: false }
  ])
  t.same(ok(parseSort('-reports', [], metrics)), [{ by: 'reports', desc: true }], 'reports is always there to sort by')
  t.match(parseSort('-completionRate', ['year'], metrics), {
    ok: false,
    errors: [{ parameter: 'sort', allowed: ['year', 'disclosureRate', 'reports'] }]
  })
})

t.test('the plan: source, cells, order, filter', async (t) => {
  const plan = ok(
    planAggregate({ metrics: 'disclosureRate,applications.outcomes.granted.total', groupBy: 'year,province', sort: '-disclosureRate' })
  )
  t.equal(plan.source, 'rollup')
  t.same(
    plan.cells.map((c) => c.code),
    ['applications.outcomes.granted.total', 'applications.outcomes.partiallyGranted.total', 'applications.outcomes.total.total'],
    'each cell once, in registry order'
  )
  t.same(
    plan.sort,
    [
      { by: 'disclosureRate', desc: true },
      { by: 'year', desc: false },
      { by: 'province', desc: false }
    ],
    'group keys break ties'
  )
  t.equal(plan.filter.scope, 'own', 'own reports unless asked')
  t.equal(ok(planAggregate({ groupBy: 'agency' })).source, 'cells')
  t.equal(ok(planAggregate({ agencyId: 3 })).source, 'cells')
  t.equal(ok(planAggregate({ scope: 'all', regionCode: '63' })).filter.scope, 'all')
  t.match(planAggregate({ yearFrom: 2025, yearTo: 2021 }), { ok: false, errors: [{ parameter: 'yearFrom' }] })
  t.match(planAggregate({ metrics: 'x', groupBy: 'y', sort: 'z' }), {
    ok: false,
    errors: [{ parameter: 'metrics' }, { parameter: 'groupBy' }]
  })
})

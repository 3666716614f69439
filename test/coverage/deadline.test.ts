import t from 'tap'
import { chinaDateOf, daysBetween, deadlineBasisOf, deadlineOf, timelinessOf } from '../../src/coverage/deadline.js'
import { KINDS, LEVELS } from '../../src/format/registry.js'

t.test('departments and townships: 31 January of the next year', async (t) => {
  for (const level of LEVELS) {
    t.equal(deadlineOf({ level, kind: 'department', scope: 'own' }, 2025), '2026-01-31', `${level} department`)
  }
  t.equal(deadlineOf({ level: 'township', kind: 'township', scope: 'own' }, 2025), '2026-01-31')
  t.equal(deadlineOf({ level: 'county', kind: 'township', scope: 'own' }, 2025), '2026-01-31', 'a township registered under its county')
  for (const kind of ['generalOffice', 'vertical', 'authorizedOrganization', 'other'] as const) {
    t.equal(deadlineOf({ level: 'prefectural', kind, scope: 'own' }, 2020), '2021-01-31', kind)
  }
})

t.test('summaries (aggregate reports) by level: county 20 Feb, city 10 Mar, province and national 31 Mar', async (t) => {
  const aggregate = (level: (typeof LEVELS)[number]) => deadlineOf({ level, kind: 'government', scope: 'aggregate' }, 2025)
  t.equal(aggregate('county'), '2026-02-20')
  t.equal(aggregate('prefectural'), '2026-03-10')
  t.equal(aggregate('provincial'), '2026-03-31')
  t.equal(aggregate('national'), '2026-03-31')
  t.equal(aggregate('township'), '2026-01-31', 'township level has no later summary date')
  t.equal(
    deadlineOf({ level: 'county', kind: 'generalOffice', scope: 'aggregate' }, 2025),
    '2026-02-20',
    'an office publishing the summary'
  )
})

t.test("a government's own report takes its level's summary date", async (t) => {
  t.equal(deadlineOf({ level: 'county', kind: 'government', scope: 'own' }, 2025), '2026-02-20')
  t.equal(deadlineOf({ level: 'prefectural', kind: 'government', scope: 'own' }, 2025), '2026-03-10')
  t.equal(deadlineOf({ level: 'provincial', kind: 'government', scope: 'own' }, 2025), '2026-03-31')
  t.equal(deadlineOf({ level: 'township', kind: 'government', scope: 'own' }, 2025), '2026-01-31')
})

t.test('every level, kind and scope has a basis', async (t) => {
  let n = 0
  for (const level of LEVELS) {
    for (const kind of KINDS) {
      for (const scope of ['own', 'aggregate'] as const) {
        t.match(deadlineOf({ level, kind, scope }, 2030), /^2031-0[1-3]-\d\d$/)
        n++
      }
    }
  }
  t.equal(n, LEVELS.length * KINDS.length * 2)
  t.equal(deadlineBasisOf({ level: 'national', kind: 'department', scope: 'own' }), 'department')
  t.equal(deadlineBasisOf({ level: 'national', kind: 'government', scope: 'aggregate' }), 'national')
})

t.test('on time up to and including the deadline; late by calendar days after it', async (t) => {
  t.same(timelinessOf('2026-01-31', '2026-01-31'), { status: 'onTime', daysLate: 0 })
  t.same(timelinessOf('2026-01-02', '2026-01-31'), { status: 'onTime', daysLate: 0 })
  t.same(timelinessOf('2025-12-30', '2026-01-31'), { status: 'onTime', daysLate: 0 }, 'published before the year is out')
  t.same(timelinessOf('2026-02-01', '2026-01-31'), { status: 'late', daysLate: 1 })
  t.same(timelinessOf('2026-02-21', '2026-02-20'), { status: 'late', daysLate: 1 })
  t.same(timelinessOf('2026-03-11', '2026-03-10'), { status: 'late', daysLate: 1 })
  t.same(timelinessOf('2026-04-01', '2026-03-31'), { status: 'late', daysLate: 1 })
  t.same(timelinessOf('2026-12-31', '2026-01-31'), { status: 'late', daysLate: 334 })
  t.same(timelinessOf(null, '2026-01-31'), { status: 'unknownDate', daysLate: null })
})

t.test('day counts cross month ends, leap days and daylight-saving dates exactly', async (t) => {
  t.equal(daysBetween('2024-01-31', '2024-03-01'), 30, '2024 has 29 February')
  t.equal(daysBetween('2023-01-31', '2023-03-01'), 29)
  t.equal(daysBetween('2026-03-31', '2026-03-29'), -2)
  t.equal(daysBetween('2026-01-31', '2027-01-31'), 365)
  t.equal(daysBetween('2026-03-01', '2026-04-01'), 31, 'across a daylight-saving change elsewhere')
  t.throws(() => daysBetween('2026-1-31', '2026-02-01'), RangeError)
})

t.test('a timestamp’s date in China Standard Time', async (t) => {
  t.equal(chinaDateOf('2026-01-31T15:59:59.999Z'), '2026-01-31', '23:59:59 in Beijing')
  t.equal(chinaDateOf('2026-01-31T16:00:00.000Z'), '2026-02-01', 'midnight in Beijing is the next day')
  t.equal(chinaDateOf('2026-02-01T00:00:00+08:00'), '2026-02-01', 'an offset is honoured')
  t.equal(chinaDateOf('2024-02-28T20:00:00.000Z'), '2024-02-29', 'a leap day')
  t.throws(() => chinaDateOf('yesterday'), RangeError)
})

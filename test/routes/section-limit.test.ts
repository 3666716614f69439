// One length limit for a section on every path that writes a report — an import's commit, PUT, POST and
// batch — counted the same way (code points, as JSON Schema counts), so that a stored report can always be
// sent back as it is.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { buildTestApp, json, countRows, createAgency, sampleReport } from '../helper.js'
import { SECTION_MAX_LENGTH } from '../../src/format/registry.js'

const text = readFileSync(new URL('../fixtures/reports/huzhu-urban-management-2025.txt', import.meta.url), 'utf8')

/** The fixture with a long paragraph added to its section 一. */
function withLongOverview(characters: number): string {
  const lines = text.split('\n')
  const at = lines.findIndex((l) => l.trim() === '一、总体情况')
  lines.splice(at + 1, 0, '公'.repeat(characters))
  return lines.join('\n')
}

t.test('an import whose section is too long is a 422, preview or commit, and stores nothing', async (t) => {
  const app = await buildTestApp({ imports: { workers: 0 } })
  t.teardown(() => app.close())
  const body = withLongOverview(SECTION_MAX_LENGTH + 1000)
  for (const url of ['/v1/imports', '/v1/imports?commit=true']) {
    const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'text/plain', 'accept-language': 'en' }, payload: body })
    t.equal(res.statusCode, 422, url)
    const problem = json(res)
    t.same(
      problem.errors.map((e: { pointer: string }) => e.pointer),
      ['/']
    )
    t.match(problem.detail, /section 一、总体情况 runs to \d+ characters, more than the 200000 a section may hold/)
  }
  t.equal(await countRows(app, 'reports'), 0)
  t.equal(await countRows(app, 'agencies'), 0, 'not even the agency it would have created')
})

t.test('a committed import is PUT back as it is; the limit is the same on PUT, POST and batch', async (t) => {
  const app = await buildTestApp({ imports: { workers: 0 } })
  t.teardown(() => app.close())
  const committed = await app.inject({
    method: 'POST',
    url: '/v1/imports?commit=true',
    headers: { 'content-type': 'text/plain' },
    payload: text
  })
  t.equal(committed.statusCode, 201)
  const { report, committed: c } = json(committed)
  const put = await app.inject({
    method: 'PUT',
    url: `/v1/agencies/${c.agencyId}/reports/2025`,
    payload: { ...report, agencyId: undefined }
  })
  t.equal(put.statusCode, 200, 'the imported document goes back through PUT')
  t.equal(json(put).id, c.reportId)

  // at the limit: accepted everywhere, counted in code points (a character outside the BMP is one)
  const atLimit = '𠀀'.repeat(SECTION_MAX_LENGTH)
  const other = await createAgency(app, { name: '互助县财政局', regionCode: '630223' })
  const put2 = await app.inject({
    method: 'PUT',
    url: `/v1/agencies/${other}/reports/2025`,
    payload: { ...sampleReport(other), agencyId: undefined, sections: { overview: atLimit } }
  })
  t.equal(put2.statusCode, 201)
  const stored = json(await app.inject(`/v1/agencies/${other}/reports/2025`))
  t.equal(stored.sections.overview, atLimit)
  const back = await app.inject({
    method: 'PUT',
    url: `/v1/agencies/${other}/reports/2025`,
    payload: { ...sampleReport(other), agencyId: undefined, sections: stored.sections }
  })
  t.equal(back.statusCode, 200)

  // one past it: refused on every path, naming the section
  const over = { overview: 'a'.repeat(SECTION_MAX_LENGTH + 1) }
  const before = await countRows(app, 'report_revisions')
  const viaPut = await app.inject({
    method: 'PUT',
    url: `/v1/agencies/${other}/reports/2025`,
    payload: { ...sampleReport(other), agencyId: undefined, sections: over }
  })
  const viaPost = await app.inject({ method: 'POST', url: '/v1/reports', payload: { ...sampleReport(other), year: 2024, sections: over } })
  const viaBatch = await app.inject({
    method: 'POST',
    url: '/v1/reports/batch',
    payload: { reports: [{ ...sampleReport(other), year: 2023, sections: over }] }
  })
  for (const [res, pointer] of [
    [viaPut, '/sections/overview'],
    [viaPost, '/sections/overview'],
    [viaBatch, '/reports/0/sections/overview']
  ] as const) {
    t.equal(res.statusCode, 422)
    t.ok(
      json(res).errors.some((e: { pointer: string }) => e.pointer === pointer),
      pointer
    )
  }
  t.equal(await countRows(app, 'reports'), 2, 'nothing written')
  t.equal(await countRows(app, 'report_revisions'), before)
})

import t from 'tap'
import { buildTestApp, createAgency, json } from '../helper.js'

t.test('agency CRUD', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())

  const created = await app.inject({
    method: 'POST',
    url: '/v1/agencies',
    payload: { name: '海东市人民政府', regionCode: '630200', level: 'prefectural', kind: 'government', uscc: '11632100MB1234567X' }
  })
  t.equal(created.statusCode, 201)
  const agency = json(created)
  t.equal(created.headers.location, `/v1/agencies/${agency.id}`)
  t.match(agency, {
    name: '海东市人民政府',
    regionCode: '630200',
    level: 'prefectural',
    kind: 'government',
    uscc: '11632100MB1234567X',
    parentId: null,
    revision: 1
  })
  t.match(agency.createdAt, /^\d{4}-\d\d-\d\dT/)

  const got = await app.inject(`/v1/agencies/${agency.id}`)
  t.equal(got.statusCode, 200)
  t.same(json(got), agency)

  const child = await createAgency(app, { name: '海东市财政局', regionCode: '630200', level: 'prefectural', parentId: agency.id })
  const patched = await app.inject({ method: 'PATCH', url: `/v1/agencies/${child}`, payload: { name: '海东市财政局（改）' } })
  t.equal(patched.statusCode, 200)
  t.match(json(patched), { id: child, name: '海东市财政局（改）', parentId: agency.id, revision: 2 })

  const dupUscc = await app.inject({
    method: 'POST',
    url: '/v1/agencies',
    payload: { name: '另一个', regionCode: '630200', level: 'prefectural', kind: 'government', uscc: '11632100MB1234567X' }
  })
  t.equal(dupUscc.statusCode, 409)
  t.equal(dupUscc.headers['content-type'], 'application/problem+json; charset=utf-8')

  const parentDelete = await app.inject({ method: 'DELETE', url: `/v1/agencies/${agency.id}` })
  t.equal(parentDelete.statusCode, 409, 'a parent cannot be deleted')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/agencies/${child}` })).statusCode, 204)
  t.equal((await app.inject(`/v1/agencies/${child}`)).statusCode, 404)
})

t.test('agency validation', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const bad = await app.inject({
    method: 'POST',
    url: '/v1/agencies',
    payload: { name: '某局', regionCode: '63022', level: 'city', kind: 'department', color: 'red' }
  })
  t.equal(bad.statusCode, 422)
  const problem = json(bad)
  t.match(problem, { type: '/problems/validation', status: 422, title: '内容无效' })
  const pointers = problem.errors.map((e: { pointer: string }) => e.pointer).sort()
  t.same(pointers, ['/color', '/level', '/regionCode'])

  const unknownRegion = await app.inject({
    method: 'POST',
    url: '/v1/agencies',
    payload: { name: '某局', regionCode: '999999', level: 'county', kind: 'department' }
  })
  t.equal(unknownRegion.statusCode, 422)
  t.same(json(unknownRegion).errors, [{ pointer: '/regionCode', message: '999999 不是 GB/T 2260 区划代码' }])

  const wrongType = await app.inject({
    method: 'POST',
    url: '/v1/agencies',
    payload: { name: 12, regionCode: 630223, level: 'county', kind: 'department' }
  })
  t.equal(wrongType.statusCode, 422, 'numbers are not coerced to strings')
  t.same(
    json(wrongType)
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort(),
    ['/name', '/regionCode']
  )

  const badQuery = await app.inject('/v1/agencies?limit=0&color=1')
  t.equal(badQuery.statusCode, 400)
  t.same(
    json(badQuery)
      .errors.map((e: { parameter: string }) => e.parameter)
      .sort(),
    ['color', 'limit']
  )

  const count = await app.inject('/v1/agencies')
  t.same(json(count).items, [], 'nothing was written by the rejected requests')
})

t.test('agency filters', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const a = await createAgency(app, { name: '互助县财政局', regionCode: '630223', level: 'county', kind: 'department' })
  const b = await createAgency(app, { name: '海东市人民政府', regionCode: '630200', level: 'prefectural', kind: 'government' })
  const c = await createAgency(app, { name: '西宁市财政局', regionCode: '630100', level: 'prefectural', kind: 'department' })
  const ids = async (qs: string) => json(await app.inject(`/v1/agencies?${qs}`)).items.map((x: { id: number }) => x.id)
  t.same(await ids('q=财政'), [a, c])
  t.same(await ids('regionCode=6302'), [a, b])
  t.same(await ids('regionCode=63'), [a, b, c])
  t.same(await ids('level=prefectural'), [b, c])
  t.same(await ids('kind=department&regionCode=6301'), [c])
  t.same(await ids('sort=-id'), [c, b, a])
  t.same(await ids('sort=name'), [a, b, c], 'by code point: 互 < 海 < 西')
  t.same(await ids('sort=-name'), [c, b, a])
})

t.test('paging 1 000 agencies with limit=7 while inserting returns each original exactly once', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  await app.engine.transaction(async (tx) => {
    for (let i = 0; i < 1000; i++) {
      await tx.run(
        "INSERT INTO agencies (name, region_code, level, kind, created_at, updated_at) VALUES (?, '630223', 'county', 'department', 'x', 'x')",
        [`机构${String(i).padStart(4, '0')}`]
      )
    }
  })
  const original = new Set((await app.engine.all<{ id: number }>('SELECT id FROM agencies')).map((r) => r.id))
  for (const sort of ['id', '-id', 'name', '-name']) {
    const seen: number[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const res: { statusCode: number; body: string } = await app.inject(
        `/v1/agencies?limit=7&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`
      )
      t.equal(res.statusCode, 200)
      const page = json(res)
      seen.push(...page.items.map((x: { id: number }) => x.id))
      cursor = page.next
      // others insert while we page, before and after the current position
      await app.inject({
        method: 'POST',
        url: '/v1/agencies',
        payload: { name: `新机构${sort}${pages}`, regionCode: '630223', level: 'county', kind: 'department' }
      })
      await app.inject({
        method: 'POST',
        url: '/v1/agencies',
        payload: { name: `机构${pages}`, regionCode: '630223', level: 'county', kind: 'department' }
      })
      pages++
    } while (cursor && pages < 1000)
    const originals = seen.filter((id) => original.has(id))
    t.equal(originals.length, 1000, `${sort}: every original agency once`)
    t.equal(new Set(seen).size, seen.length, `${sort}: no item repeated`)
  }
  const bad = await app.inject('/v1/agencies?cursor=bm90LWEtY3Vyc29y')
  t.equal(bad.statusCode, 400)
  t.equal(json(bad).errors[0].parameter, 'cursor')
})

t.test('names refuse control, line-separator and bidirectional formatting characters, and lone surrogates, naming the field', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const body = { regionCode: '630223', level: 'county', kind: 'department' }
  const id = await createAgency(app, { name: '互助县财政局' })
  // raw JSON text, so that escapes such as \ud800 reach the server as sent
  const cases: Array<[string, string]> = [
    ['"互助县\\u0000财政局"', 'U+0000'],
    ['"互助县\\t财政局"', 'U+0009'],
    ['"互助县\\n财政局"', 'U+000A'],
    ['"互助县\\u007f财政局"', 'U+007F'],
    ['"互助县\\u0085财政局"', 'U+0085'],
    ['"互助县\\u202e局政财"', 'U+202E'],
    ['"\\u2066互助县财政局\\u2069"', 'U+2066'],
    ['"互助县\\u200f财政局"', 'U+200F'],
    ['"互助县\\u2028财政局"', 'U+2028'],
    ['"互助县\\ud800财政局"', 'U+D800'],
    ['"互助县财政局\\udfff"', 'U+DFFF']
  ]
  for (const [name, code] of cases) {
    const post = await app.inject({
      method: 'POST',
      url: '/v1/agencies',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      payload: `{"name":${name},"regionCode":"630223","level":"county","kind":"department"}`
    })
    t.equal(post.statusCode, 422, `POST ${name}`)
    t.match(post.headers['content-type'], /^application\/problem\+json/)
    const at = [...(JSON.parse(name) as string)].findIndex((c) => c.codePointAt(0) === parseInt(code.slice(2), 16)) + 1
    t.same(
      json(post).errors,
      [
        {
          pointer: '/name',
          message: `must be one line of plain text: ${code} at character ${at} is a control, line-separator or bidirectional formatting character, or half of a broken surrogate pair`
        }
      ],
      name
    )
    const patch = await app.inject({
      method: 'PATCH',
      url: `/v1/agencies/${id}`,
      headers: { 'content-type': 'application/json' },
      payload: `{"name":${name}}`
    })
    t.equal(patch.statusCode, 422, `PATCH ${name}`)
    t.same(
      json(patch).errors,
      [{ pointer: '/name', message: `必须是一行纯文本：第 ${at} 个字符 ${code} 是控制字符、行分隔符或双向格式控制字符，或是残缺的代理对` }],
      'in Chinese by default'
    )
    const key = await app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: { 'content-type': 'application/json' },
      payload: `{"name":${name},"role":"reader"}`
    })
    t.equal(key.statusCode, 422, `key ${name}`)
    t.equal(json(key).errors[0].pointer, '/name')
  }
  t.same(json(await app.inject(`/v1/agencies/${id}`)).name, '互助县财政局', 'nothing changed')
  t.equal(json(await app.inject('/v1/agencies')).items.length, 1)

  const fine = ['互助县𠮷野局', 'Huzhu County Bureau (互助县) — “财政”', '互助土族自治县 财政局']
  for (const name of fine) {
    const res = await app.inject({ method: 'POST', url: '/v1/agencies', payload: { ...body, name } })
    t.equal(res.statusCode, 201, name)
    t.equal(json(res).name, name, 'stored as sent, astral characters included')
  }
})

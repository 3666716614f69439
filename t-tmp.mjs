import Database from 'better-sqlite3'
const db = new Database(process.argv[2], { readonly: true })
db.pragma('cache_size = -32000')
const t = (k, sql, p, pluck) => {
  let st = db.prepare(sql)
  if (pluck) st = st.pluck()
  for (let i = 0; i < 300; i++) st.all(...p(i))
  const n = 3000
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) st.all(...p(i))
  console.log(k, (Number(process.hrtime.bigint() - t0) / n / 1000).toFixed(1), 'µs')
}
const P = (i) => [1000 + ((i * 50) % 10000), 51]
const names = [
  'id',
  'agencyId',
  'agencyName',
  'regionCode',
  'year',
  'format',
  'scope',
  'publishedAt',
  'updatedAt',
  'errorCount',
  'warningCount',
  'state',
  'submittedAt',
  'acceptedAt'
]
const cols = `r.id AS "id", r.agency_id AS "agencyId", a.name AS "agencyName", r.region_code AS "regionCode", r.year AS "year", r.format AS "format",
        r.scope AS "scope", r.published_at AS "publishedAt", r.updated_at AS "updatedAt", r.error_count AS "errorCount", r.warning_count AS "warningCount",
        r.state AS "state", r.submitted_at AS "submittedAt", r.accepted_at AS "acceptedAt"`
const inner = `SELECT ${cols} FROM reports r JOIN agencies a ON a.id = r.agency_id WHERE (r.state = 'accepted') AND r.id > ? ORDER BY r.id ASC LIMIT ?`
const obj = `json_object(${names.map((n) => `'${n}', p."${n}"`).join(', ')})`
const outer = `SELECT json_group_array(${obj} ORDER BY p.n) FILTER (WHERE p.n <= 50) AS items, count(*) AS count, max(CASE WHEN p.n = 50 THEN p.id END) AS "lastId"
  FROM (SELECT row_number() OVER (ORDER BY q.id ASC) AS n, q.* FROM (${inner}) q) p`
t('objects', inner, P)
t('window agg', outer, P)
console.log(
  db
    .prepare('EXPLAIN QUERY PLAN ' + outer)
    .all(1000, 51)
    .map((r) => r.detail)
    .join(' | ')
)
const r = db.prepare(outer).get(1000, 51)
console.log(r.count, r.lastId, r.items.slice(0, 400))
const objs = db.prepare(inner).all(1000, 51).slice(0, 50)
console.log('identical to JSON.stringify:', JSON.stringify(objs) === r.items)
const A = `SELECT json_group_array(${obj}) AS items, count(*) AS count FROM (${inner}) p`
t('agg plain', A, P)
const A2 = `SELECT json_group_array(${obj} ORDER BY p.id) AS items, count(*) AS count FROM (${inner}) p`
t('agg ordered', A2, P)
const B = `SELECT p.id, ${obj} FROM (${inner}) p`
{
  const st = db.prepare(B).raw()
  const n = 3000
  for (let i = 0; i < 300; i++) st.all(...P(i))
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) {
    const rows = st.all(...P(i))
    rows
      .slice(0, 50)
      .map((r) => r[1])
      .join(',')
  }
  console.log('per row raw + join', (Number(process.hrtime.bigint() - t0) / n / 1000).toFixed(1))
}
const W = `SELECT json_group_array(${obj}) FILTER (WHERE p.n <= 50) AS items, count(*) AS count FROM (SELECT row_number() OVER () AS n, q.* FROM (${inner}) q) p`
t('window no order', W, P)
t('objects again', inner, P)

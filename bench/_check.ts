import Database from 'better-sqlite3'
const db = new Database(process.argv[2], { readonly: true })
const q = (sql: string) => console.log(sql.slice(0, 90).replace(/\s+/g, ' '), '\n ', JSON.stringify(db.prepare(sql).all()))
q(`SELECT level, kind, count(*) n FROM agencies GROUP BY 1,2 ORDER BY 3 DESC`)
q(`SELECT year, format, scope, count(*) n FROM reports GROUP BY 1,2,3`)
q(`SELECT a.level, a.kind, r.scope, count(*) n, avg(c.applications_new_received_total) avg, max(c.applications_new_received_total) max,
   sum(c.applications_new_received_total between 0 and 20)*1.0/count(*) le20, sum(c.applications_new_received_total is null) nulls
   FROM reports r JOIN agencies a ON a.id=r.agency_id JOIN report_cells c ON c.report_id=r.id WHERE r.year=2024 GROUP BY 1,2,3`)
q(`SELECT sum(error_count>0)*1.0/count(*) witherr, sum(warning_count>0)*1.0/count(*) withwarn, avg(error_count), avg(warning_count) FROM reports`)
q(`SELECT rule, severity, count(*) FROM findings GROUP BY 1,2 ORDER BY 3 DESC LIMIT 15`)
q(`SELECT avg(length(document)) FROM reports`)
q(`SELECT name FROM agencies ORDER BY random() LIMIT 8`)
q(`SELECT count(*) FROM rollup`)

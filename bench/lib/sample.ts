// Random request targets read straight from the benchmark database (read-only), so that reads hit
// reports all over the file rather than one hot row.
import Database from 'better-sqlite3'

function open(file: string) {
  return new Database(file, { readonly: true, fileMustExist: true })
}

export function reportCount(file: string): number {
  const db = open(file)
  try {
    return (db.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n
  } finally {
    db.close()
  }
}

/** Ids of `n` random reports. */
export function randomReportIds(file: string, n = 20_000): number[] {
  const db = open(file)
  try {
    return db.prepare('SELECT id FROM reports ORDER BY random() LIMIT ?').pluck().all(n) as number[]
  } finally {
    db.close()
  }
}

/** (agency, year) of `n` random reports. */
export function randomReportKeys(file: string, n = 20_000): Array<{ agencyId: number; year: number }> {
  const db = open(file)
  try {
    return db.prepare('SELECT agency_id AS agencyId, year FROM reports ORDER BY random() LIMIT ?').all(n) as Array<{
      agencyId: number
      year: number
    }>
  } finally {
    db.close()
  }
}

/** A function giving the paths in turn, round and round. */
export function cycle(paths: readonly string[]): () => string {
  let i = 0
  return () => paths[i++ % paths.length]
}

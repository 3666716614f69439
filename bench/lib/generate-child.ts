// A child process that generates the reports of a planned data set and hands them over in batches, so
// that generating (one core) overlaps writing (the other). It runs ahead by as many batches as the
// parent grants it, no more, so memory stays flat.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ReportInput } from '../../src/format/document.js'
import { planDataSet, reportBatches } from './dataset.js'

type ToChild = { type: 'credit'; n: number }
type ToParent = { type: 'batch'; reports: ReportInput[] } | { type: 'done' }

interface Job {
  reports: number
  seed: number
  batch: number
  firstId: number
}

/** The parent side: batches as an async iterator. */
export async function* generatedBatches(job: Job, ahead = 3): AsyncGenerator<ReportInput[]> {
  const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(job)], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  const queue: ToParent[] = []
  let wake: (() => void) | undefined
  let failure: Error | undefined
  child.on('message', (m: ToParent) => {
    queue.push(m)
    wake?.()
  })
  // the child exits once it said done; a credit sent after that is of no use to anyone
  child.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') failure = err
  })
  child.on('exit', (code) => {
    if (code !== 0) failure = new Error(`report generator exited with ${code}`)
    wake?.()
  })
  child.send({ type: 'credit', n: ahead } satisfies ToChild)
  try {
    for (;;) {
      while (queue.length === 0) {
        if (failure) throw failure
        await new Promise<void>((r) => (wake = r))
      }
      const message = queue.shift()!
      if (message.type === 'done') return
      if (child.connected) child.send({ type: 'credit', n: 1 } satisfies ToChild)
      yield message.reports
    }
  } finally {
    if (child.exitCode === null) child.kill()
  }
}

// the child side
if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  const job = JSON.parse(process.argv[2]) as Job
  const batches = reportBatches(planDataSet(job.reports, job.seed), job.seed, job.batch, job.firstId)
  let credit = 0
  let running = false
  const pump = () => {
    if (running) return
    running = true
    while (credit > 0) {
      const next = batches.next()
      if (next.done) {
        process.send!({ type: 'done' } satisfies ToParent, () => process.exit(0))
        return
      }
      credit--
      process.send!({ type: 'batch', reports: next.value } satisfies ToParent)
    }
    running = false
  }
  process.on('message', (m: ToChild) => {
    if (m.type === 'credit') {
      credit += m.n
      pump()
    }
  })
  process.on('disconnect', () => process.exit(0))
}

// The entry of an import worker (src/import-pool.ts): runs one task at a time, each as it arrives, and
// answers with the result or the failure as plain data. The pool terminates a worker whose task runs past
// its time budget or its memory, and starts a fresh one.
import { readlinkSync } from 'node:fs'
import { getPriority, setPriority } from 'node:os'
import { parentPort } from 'node:worker_threads'
import { failureOf, prepare, runTask, type ImportTask } from './read.js'

export type WorkerReply =
  | { id: number; started: true }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; failure: NonNullable<ReturnType<typeof failureOf>> }
  | { id: number; ok: false; error: string }

const port = parentPort
if (!port) throw new Error('src/importers/worker.ts runs as a worker thread of the import pool')

/**
 * Reading is background work: on Linux the worker's own thread (its id from /proc/thread-self) gets a lower
 * scheduling priority (nice +10), so that on a busy machine the request thread wins the CPU over the imports.
 * Elsewhere, or where it is not allowed, the thread keeps the process's priority.
 */
function lowerPriority() {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop())
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.min(19, getPriority(tid) + 10))
  } catch {
    // not Linux, or not permitted
  }
}
lowerPriority()

port.on('message', async ({ id, task }: { id: number; task: ImportTask }) => {
  let reply: WorkerReply
  try {
    await prepare(task)
    // the task's time budget runs from here
    port.postMessage({ id, started: true })
    reply = { id, ok: true, value: await runTask(task) }
  } catch (err) {
    const failure = failureOf(err)
    reply = failure
      ? { id, ok: false, failure }
      : { id, ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }
  }
  port.postMessage(reply)
})
port.postMessage({ ready: true })

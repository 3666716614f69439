// Imports run off the request thread: a pool of worker threads (node:worker_threads) reads the bodies, so
// that /healthz and every other request stay answered whatever an import's input makes the readers do.
// Each task has a time budget and each worker a heap limit: past either the worker is terminated (its task
// answered with a 422 or a 413) and a fresh one takes its place. Tasks wait in a bounded queue; past it a
// new import is a 503 with Retry-After. The pool's workers start with the first import, not with the server.
import { Worker } from 'node:worker_threads'
import { pathToFileURL } from 'node:url'
import { projectFile } from './paths.js'
import { ReadError, runTask, type ImportTask, type ReadFailure, type TaskResult } from './importers/read.js'
import type { WorkerReply } from './importers/worker.js'

/** Set to true by the server bundle's build (scripts/bundle.mjs), where the worker is dist/import-worker.mjs. */
declare const NIANBAO_BUNDLED: boolean | undefined

export interface ImportPoolOptions {
  /** worker threads; 0 reads in the calling thread, with no time or memory limit (the command line) */
  workers: number
  /** imports that may wait for a worker; one more is refused (ImportBusyError) */
  queue: number
  /** the longest one task may run on its worker, in ms */
  timeoutMs: number
  /** the largest heap of one worker, in MiB */
  memoryMb: number
}

/** Every worker is busy and the queue is full: the caller should retry after `retryAfter` seconds. */
export class ImportBusyError extends Error {
  readonly retryAfter: number
  constructor(retryAfter: number) {
    super('every import worker is busy and the queue is full')
    this.name = 'ImportBusyError'
    this.retryAfter = retryAfter
  }
}

/** The task ran past its time budget; its worker was terminated. */
export class ImportTimeoutError extends Error {
  readonly timeoutMs: number
  constructor(timeoutMs: number) {
    super(`the import ran past its time budget of ${timeoutMs} ms`)
    this.name = 'ImportTimeoutError'
    this.timeoutMs = timeoutMs
  }
}

/** The task needed more memory than a worker may use; its worker was ended. */
export class ImportMemoryError extends Error {
  readonly memoryMb: number
  constructor(memoryMb: number) {
    super(`the import needed more than ${memoryMb} MiB`)
    this.name = 'ImportMemoryError'
    this.memoryMb = memoryMb
  }
}

/** The time a worker may take to load the modules a task needs (pdfjs-dist, mammoth), before its budget. */
const MODULE_LOAD_ALLOWANCE_MS = 60_000

interface Job {
  task: ImportTask
  resolve: (value: unknown) => void
  reject: (err: unknown) => void
}

interface Slot {
  worker: Worker
  ready: boolean
  job: (Job & { id: number; timer: NodeJS.Timeout; onTimeout: () => void }) | null
}

export interface ImportPool {
  run<T extends ImportTask>(task: T): Promise<TaskResult<T>>
  /** what the pool is doing now */
  stats(): { workers: number; busy: number; queued: number; recycled: number }
  close(): Promise<void>
}

/** The worker's entry: the bundle's own file, the compiled one beside this module, or the TypeScript source through tsx. */
function startWorker(memoryMb: number): Worker {
  const options = { resourceLimits: { maxOldGenerationSizeMb: memoryMb }, stdout: false, stderr: false }
  if (typeof NIANBAO_BUNDLED !== 'undefined' && NIANBAO_BUNDLED)
    return new Worker(pathToFileURL(projectFile('dist/import-worker.mjs')), options)
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./importers/worker.js', import.meta.url), options)
  // from the sources (tests, development): the thread registers tsx's loader before it imports the entry
  const entry = new URL('./importers/worker.ts', import.meta.url).href
  const tsx = import.meta.resolve('tsx/esm/api')
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}) })`, {
    ...options,
    eval: true
  })
}

export function createImportPool(options: ImportPoolOptions): ImportPool {
  if (options.workers === 0) {
    return {
      run: (task) => runTask(task),
      stats: () => ({ workers: 0, busy: 0, queued: 0, recycled: 0 }),
      close: async () => {}
    }
  }
  const slots: Array<Slot | null> = Array.from({ length: options.workers }, () => null)
  const queue: Job[] = []
  let nextId = 1
  let recycled = 0
  let closed = false

  function spawn(index: number): Slot {
    const worker = startWorker(options.memoryMb)
    const slot: Slot = { worker, ready: false, job: null }
    slots[index] = slot
    worker.unref()
    worker.on('message', (message: WorkerReply | { ready: true }) => {
      if ('ready' in message) {
        slot.ready = true
        dispatch()
        return
      }
      const job = slot.job
      if (!job || job.id !== message.id) return
      if ('started' in message) {
        // the modules the task needed are loaded: its budget starts now
        clearTimeout(job.timer)
        job.timer = setTimeout(job.onTimeout, options.timeoutMs)
        return
      }
      clearTimeout(job.timer)
      slot.job = null
      if (message.ok) job.resolve(message.value)
      else if ('failure' in message) job.reject(new ReadError(message.failure as ReadFailure))
      else job.reject(new Error(`import worker: ${message.error}`))
      dispatch()
    })
    const fail = (err: unknown) => {
      if (slots[index] !== slot) return
      slots[index] = null
      if (!slot.ready) {
        // a worker that cannot even start (a broken installation): say so to whoever waits, rather than start
        // another and another
        for (const job of queue.splice(0)) job.reject(new Error(`import worker did not start: ${String(err)}`))
        void slot.worker.terminate()
        return
      }
      const job = slot.job
      if (job) {
        clearTimeout(job.timer)
        slot.job = null
        const outOfMemory = (err as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY'
        job.reject(outOfMemory ? new ImportMemoryError(options.memoryMb) : new Error(`import worker ended: ${String(err)}`))
      }
      recycled++
      void slot.worker.terminate()
      dispatch()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`exit ${code}`)))
    return slot
  }

  function dispatch() {
    if (closed) return
    for (let i = 0; i < slots.length && queue.length > 0; i++) {
      const slot = slots[i] ?? spawn(i)
      if (!slot.ready || slot.job) continue
      const job = queue.shift()!
      const id = nextId++
      const onTimeout = () => {
        // past its budget: the worker is ended, and with it whatever the task was doing
        if (slots[i] === slot) slots[i] = null
        slot.job = null
        recycled++
        void slot.worker.terminate()
        job.reject(new ImportTimeoutError(options.timeoutMs))
        dispatch()
      }
      // until the worker says the task started (the modules it needs loaded), loading time is allowed too
      const timer = setTimeout(onTimeout, options.timeoutMs + MODULE_LOAD_ALLOWANCE_MS)
      slot.job = { ...job, id, timer, onTimeout }
      slot.worker.postMessage({ id, task: job.task })
    }
  }

  return {
    run<T extends ImportTask>(task: T): Promise<TaskResult<T>> {
      if (closed) return Promise.reject(new Error('the import pool is closed'))
      const idle = slots.filter((s) => s === null || !s.job).length
      if (queue.length >= options.queue + idle) return Promise.reject(new ImportBusyError(Math.max(1, Math.ceil(options.timeoutMs / 1000))))
      return new Promise<TaskResult<T>>((resolve, reject) => {
        queue.push({ task, resolve: resolve as (value: unknown) => void, reject })
        dispatch()
      })
    },
    stats: () => ({
      workers: slots.filter((s) => s !== null).length,
      busy: slots.filter((s) => s?.job).length,
      queued: queue.length,
      recycled
    }),
    async close() {
      closed = true
      for (const job of queue.splice(0)) job.reject(new Error('the import pool is closed'))
      await Promise.all(
        slots.map(async (slot, i) => {
          if (!slot) return
          slots[i] = null
          if (slot.job) {
            clearTimeout(slot.job.timer)
            slot.job.reject(new Error('the import pool is closed'))
          }
          await slot.worker.terminate()
        })
      )
    }
  }
}

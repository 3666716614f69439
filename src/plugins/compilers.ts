// Start-up time went to compiling schemas: an ajv validator for every validated part of every route, and
// a fast-json-stringify serializer for every response status of every route (the Problem schema alone
// some 200 times). Two things keep that off the start-up path:
// - equal schemas share one compiled function: a compiled validator or serializer depends only on its
//   schema and the shared schemas (the same for the whole app), so each distinct schema is compiled once;
// - compiling waits until the function is first needed, or until the server listens: then everything not
//   yet compiled is compiled in the background, one schema per turn of the event loop, so requests that
//   arrive meanwhile are served between two compilations (a request that needs a schema not yet compiled
//   compiles it first). `compileAll` does it at once (tests: every schema compiles).
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { FastifySchemaCompiler } from 'fastify'

type Compile<Route, Fn> = (route: Route) => Fn

export interface Compilation {
  /** compiles what is still pending, one schema per event-loop turn; resolves when nothing is left */
  warmUp(): Promise<void>
  /** compiles everything still pending, now */
  compileAll(): void
  /** schemas compiled so far, and still pending */
  readonly stats: { compiled: number; pending: number }
}

/** One compiled function per distinct schema (as JSON), compiled on first use or by warmUp/compileAll. */
export function createCompilation() {
  const pending = new Set<() => void>()
  let compiled = 0

  function lazy<Fn extends (...args: never[]) => unknown>(compile: () => Fn): () => Fn {
    let fn: Fn | undefined
    const get = () => {
      if (fn === undefined) {
        fn = compile()
        compiled++
        pending.delete(force)
      }
      return fn
    }
    const force = () => void get()
    pending.add(force)
    return get
  }

  /** Validators carry their errors on the function (ajv): the stand-in copies them over. */
  function validator<Route extends { schema?: unknown }>(compile: Compile<Route, ValidateFn>, prefix: (route: Route) => string) {
    return memoized((route: Route) => {
      const get = lazy(() => compile(route))
      const validate: ValidateFn = (data: unknown) => {
        const fn = get()
        const result = fn(data)
        validate.errors = fn.errors
        return result
      }
      validate.errors = null
      return validate
    }, prefix)
  }

  function serializer<Route extends { schema?: unknown }>(compile: Compile<Route, (doc: unknown) => string>) {
    return memoized((route: Route) => {
      const get = lazy(() => compile(route))
      return (doc: unknown) => get()(doc)
    })
  }

  const compilation: Compilation = {
    compileAll() {
      for (const force of [...pending]) force()
    },
    warmUp() {
      return new Promise<void>((resolve, reject) => {
        const step = () => {
          const next = pending.values().next()
          if (next.done) return resolve()
          try {
            next.value()
          } catch (err) {
            return reject(err)
          }
          setImmediate(step)
        }
        setImmediate(step)
      })
    },
    get stats() {
      return { compiled, pending: pending.size }
    }
  }
  return { validator, serializer, compilation }
}

export type Compilers = ReturnType<typeof createCompilation>

/** what Fastify expects of a validator: ajv's validate function, errors on the function */
export type ValidateFn = ReturnType<FastifySchemaCompiler<unknown>>

/** Routes whose schemas are equal (as JSON, under the same prefix) get one function. */
function memoized<Route extends { schema?: unknown }, Fn>(
  make: (route: Route) => Fn,
  prefix: (route: Route) => string = () => ''
): Compile<Route, Fn> {
  const made = new Map<string, Fn>()
  return (route) => {
    const key = `${prefix(route)}\n${JSON.stringify(route.schema)}`
    let fn = made.get(key)
    if (fn === undefined) {
      fn = make(route)
      made.set(key, fn)
    }
    return fn
  }
}

/** Fastify's own serializer factory (fast-json-stringify), with shared and deferred compilation. */
export function serializerFactory(serializer: Compilers['serializer']) {
  const build = SerializerSelector()
  return (externalSchemas?: unknown, options?: Parameters<typeof build>[1]) => serializer(build(externalSchemas, options))
}

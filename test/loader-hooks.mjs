// The hooks of test/loader.mjs: `.js` → `.ts` for the project's own relative imports, and the project's `.ts` files
// compiled by esbuild, kept on disk by path and content for the next process. They serve Node's loader thread
// (module.register, Node 20: asynchronous) and the in-thread hooks of newer Nodes (module.registerHooks: synchronous):
// one resolve for both, and a load for each, as esbuild compiles synchronously or not.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const ROOT = new URL('../', import.meta.url).href
const CACHE = fileURLToPath(new URL('node_modules/.cache/nianbao-test-loader/', ROOT))
const OPTIONS = {
  loader: 'ts',
  format: 'esm',
  target: 'node20',
  sourcemap: 'inline',
  // the coverage report reads the sources from disk: the map need not carry them
  sourcesContent: false,
  tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true, target: 'ES2022' } }
}
const esbuild = createRequire(import.meta.url)('esbuild')
/** The compiler's and the options' share of the cache key: either changed, the files compile afresh. */
const SALT = `${esbuild.version}\0${JSON.stringify(OPTIONS)}\0`

/** A file of the project's own, not of a dependency. */
const own = (url) => url.startsWith(ROOT) && !url.includes('/node_modules/')

/** The `.ts` file a relative `./x.js` of the project's own means, when that is the file there. */
function typeScriptTwin(specifier, parent) {
  if (!specifier.startsWith('.') || !specifier.endsWith('.js') || parent === undefined || !own(parent)) return undefined
  const url = new URL(specifier, parent)
  const ts = new URL(`${url.href.slice(0, -3)}.ts`)
  return existsSync(ts) && !existsSync(url) ? ts.href : undefined
}

/** The file's source and its compiled code if an earlier process kept it; `save` keeps the code this one compiles. */
function cached(url) {
  const path = fileURLToPath(url)
  const source = readFileSync(path, 'utf8')
  const file = `${CACHE}${createHash('sha256').update(SALT).update(path).update('\0').update(source).digest('hex').slice(0, 32)}.js`
  let code
  try {
    code = readFileSync(file, 'utf8')
  } catch {}
  const save = (compiled) => {
    // written aside and renamed into place: several test processes compile at once
    mkdirSync(CACHE, { recursive: true })
    const scratch = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}`
    writeFileSync(scratch, compiled)
    renameSync(scratch, file)
    return compiled
  }
  return { path, source, code, save }
}

const loaded = (source) => ({ format: 'module', source, shortCircuit: true })
const resolved = (url) => ({ url, format: 'module', shortCircuit: true })
const ownTypeScript = (url) => url.startsWith('file:') && url.endsWith('.ts') && own(url)

export async function load(url, context, nextLoad) {
  if (!ownTypeScript(url)) return nextLoad(url, context)
  const { path, source, code, save } = cached(url)
  return loaded(code ?? save((await esbuild.transform(source, { ...OPTIONS, sourcefile: path })).code))
}

export function resolveSync(specifier, context, nextResolve) {
  const ts = typeScriptTwin(specifier, context.parentURL)
  return ts ? resolved(ts) : nextResolve(specifier, context)
}

/** The same for the loader thread: what it returns, or the promise of the next hook's answer, is awaited there. */
export const resolve = resolveSync

export function loadSync(url, context, nextLoad) {
  if (!ownTypeScript(url)) return nextLoad(url, context)
  const { path, source, code, save } = cached(url)
  return loaded(code ?? save(esbuild.transformSync(source, { ...OPTIONS, sourcefile: path }).code))
}

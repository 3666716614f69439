// The server as one ES module, dist/nianbao.mjs, with the packages it uses inside (and the import workers'
// entry, dist/import-worker.mjs, sharing its chunks): Node then loads one
// file instead of some 1 800 (TypeBox alone is 700 modules), which halves the time spent importing at
// start-up. Plain JavaScript, so that it runs before anything is compiled.
//
//   node scripts/bundle.mjs     build it (also part of `npm run build`)
//
// Left outside the bundle, loaded from node_modules as usual: native addons and optional native
// bindings (better-sqlite3, pg), packages that read files beside their own code (@fastify/swagger reads
// its package.json, @fastify/swagger-ui its static folder, pdfjs-dist its fonts and worker), and mammoth.
// The build fails if any other bundled module refers to its own folder (__dirname, __filename), which
// would point into dist/ once bundled. Migrations, the sample report and the pages' assets are read from
// the project at run time, as from the sources.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
export const BUNDLE = join(ROOT, 'dist', 'nianbao.mjs')
/** modules the server imports only when needed (the PDF reader) go into chunks, loaded then */
const CHUNKS = join(ROOT, 'dist', 'chunks')
/** the project files the bundle was built from, to tell when it is out of date */
const INPUTS = join(ROOT, 'dist', 'nianbao.inputs.json')
const ALWAYS = ['package.json', 'package-lock.json', 'scripts/bundle.mjs']
const EXTERNAL = ['better-sqlite3', 'pg', '@fastify/swagger', '@fastify/swagger-ui', 'pdfjs-dist', 'mammoth']
/** bundled modules that mention __dirname only on paths nianbao never takes (pino's transports, in worker threads) */
const DIRNAME_ALLOWED = ['node_modules/pino/', 'node_modules/thread-stream/']

/** The bundled modules whose code refers to __dirname or __filename, by the module comments esbuild writes. */
function modulesUsingDirname(code) {
  const found = new Set()
  let module = ''
  for (const line of code.split('\n')) {
    if (line.startsWith('// ')) module = line.slice(3)
    else if (/\b__(dirname|filename)\b/.test(line)) found.add(module)
  }
  return [...found].filter((m) => !DIRNAME_ALLOWED.some((allowed) => m.startsWith(allowed)))
}

export async function bundle() {
  const { build } = await import('esbuild')
  rmSync(CHUNKS, { recursive: true, force: true })
  const result = await build({
    absWorkingDir: ROOT,
    // the import workers' entry (src/import-pool.ts starts dist/import-worker.mjs when NIANBAO_BUNDLED)
    entryPoints: { nianbao: 'src/server.ts', 'import-worker': 'src/importers/worker.ts' },
    define: { NIANBAO_BUNDLED: 'true' },
    outdir: join(ROOT, 'dist'),
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    // CommonJS packages inside an ES module still call require() for Node's own modules
    banner: { js: "import { createRequire as __nianbaoRequire } from 'node:module'; const require = __nianbaoRequire(import.meta.url);" },
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning'
  })
  const unsafe = Object.keys(result.metafile.outputs)
    .filter((f) => f.endsWith('.mjs'))
    .flatMap((f) => modulesUsingDirname(readFileSync(join(ROOT, f), 'utf8')))
  if (unsafe.length) throw new Error(`bundled modules refer to their own folder (add them to EXTERNAL): ${unsafe.join(', ')}`)
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/'))
  const outputs = Object.keys(result.metafile.outputs)
  writeFileSync(INPUTS, `${JSON.stringify({ inputs: [...ALWAYS, ...inputs], outputs }, null, 1)}\n`)
  return BUNDLE
}

/** True when the bundle or one of its chunks is missing, or any file it was built from changed since. */
export function isStale() {
  if (!existsSync(BUNDLE) || !existsSync(INPUTS)) return true
  const built = statSync(BUNDLE).mtimeMs
  const { inputs, outputs } = JSON.parse(readFileSync(INPUTS, 'utf8'))
  if (!Array.isArray(inputs) || !Array.isArray(outputs) || outputs.some((file) => !existsSync(join(ROOT, file)))) return true
  return inputs.some((file) => {
    const path = join(ROOT, file)
    return !existsSync(path) || statSync(path).mtimeMs > built
  })
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now()
  await bundle()
  console.log(`${relative(process.cwd(), BUNDLE)} in ${Math.round(performance.now() - started)} ms`)
}

// Builds the pages' scripts and style sheet (web/) into dist/web with esbuild: one ES module per page,
// shared code and ECharts split into chunks (only the modules the charts use: tree-shaken), minified,
// content-hashed names, and .gz/.br copies beside each file for @fastify/static to send as they are.
//   node dist/scripts/build-web.js        (run by `npm run build`)
//   tsx scripts/build-web.ts [outDir]
import { build, type Metafile } from 'esbuild'
import { mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { pathToFileURL } from 'node:url'
import { PAGES, projectRoot, type PageName, type WebManifest } from '../src/pages/manifest.js'

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}

/** Every file a page's entry loads before it runs: the entry and its static imports, transitively. */
function staticClosure(meta: Metafile, output: string, seen = new Set<string>()): Set<string> {
  if (seen.has(output)) return seen
  seen.add(output)
  for (const imp of meta.outputs[output]?.imports ?? []) if (imp.kind === 'import-statement') staticClosure(meta, imp.path, seen)
  return seen
}

export async function buildWeb(outDir = join(projectRoot(), 'dist', 'web')): Promise<WebManifest> {
  const root = projectRoot()
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  const result = await build({
    absWorkingDir: root,
    entryPoints: [...PAGES.map((p) => join('web', 'pages', `${p}.ts`)), join('web', 'styles.css')],
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    target: ['es2020', 'chrome87', 'firefox78', 'safari14'],
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    define: { 'process.env.NODE_ENV': '"production"', __DEV__: 'false' },
    logLevel: 'warning'
  })
  const meta = result.metafile
  const rel = (p: string) => relative(outDir, join(root, p)).split('\\').join('/')
  const entryOf = (source: string) => Object.keys(meta.outputs).find((o) => meta.outputs[o].entryPoint === source)!
  const gz = (p: string) => gzipSync(readFileSync(join(root, p)), { level: 9 }).length
  const pages = {} as WebManifest['pages']
  const budget = {} as WebManifest['budget']
  for (const page of PAGES) {
    const entry = entryOf(`web/pages/${page}.ts`)
    const closure = [...staticClosure(meta, entry)]
    pages[page] = { script: rel(entry), preload: closure.filter((o) => o !== entry).map(rel) }
    budget[page as PageName] = closure.reduce((s, o) => s + gz(o), 0)
  }
  const style = entryOf('web/styles.css')
  budget.style = gz(style)
  const manifest: WebManifest = { pages, style: rel(style), budget }
  for (const file of walk(outDir)) {
    const bytes = readFileSync(file)
    writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }))
    writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }))
  }
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  return manifest
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const manifest = await buildWeb(process.argv[2])
  for (const page of PAGES)
    console.log(`${page.padEnd(9)} ${basename(manifest.pages[page].script)}  ${(manifest.budget[page] / 1024).toFixed(1)} KiB gzip`)
  console.log(`style     ${manifest.style}  ${(manifest.budget.style / 1024).toFixed(1)} KiB gzip`)
}

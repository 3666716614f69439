// Loaded (node --import) into every test process of the covered pass (test/run.ts), after tsx. tsx compiles
// TypeScript with whitespace minified — a module becomes a few long lines — and V8 coverage is mapped back to
// the sources line by line (c8, v8-to-istanbul), so a whole module would count as one line. For the project's
// own .ts files this compiles them the way tsx does but keeps the lines (esbuild, an inline source map without
// the sources' text, which the coverage data would otherwise carry once per process); tsx still resolves them.
import { register } from 'node:module'

// Only the test processes are measured: a server or a tool a test starts as a child process runs tsx's compiled
// code, and its coverage of the same file would be counted against the other compilation's lines.
process.env._TAPJS_PROCESSINFO_COVERAGE_ = '0'

register(
  `data:text/javascript,${encodeURIComponent(`
    import { readFile } from 'node:fs/promises'
    import { fileURLToPath } from 'node:url'
    import { transform } from '${import.meta.resolve('esbuild')}'
    const options = { loader: 'ts', format: 'esm', target: 'node20', sourcemap: 'inline', sourcesContent: false,
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true, target: 'ES2022' } } }
    export async function load(url, context, nextLoad) {
      const { protocol, pathname } = new URL(url)
      if (protocol !== 'file:' || !pathname.endsWith('.ts') || pathname.includes('/node_modules/')) return nextLoad(url, context)
      const path = fileURLToPath('file://' + pathname)
      const { code } = await transform(await readFile(path, 'utf8'), { ...options, sourcefile: path })
      return { format: 'module', source: code, shortCircuit: true }
    }
  `)}`
)

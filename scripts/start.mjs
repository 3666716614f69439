// `npm start`: runs the server bundle, building first what is missing or older than the files it is built
// from — the server bundle (scripts/bundle.mjs) and the pages' assets (scripts/build-web.ts). The first
// start after a clone or an edit takes some seconds more; the others none.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { BUNDLE, bundle, isStale } from './bundle.mjs'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const WEB_MANIFEST = join(ROOT, 'dist', 'web', 'manifest.json')
const WEB_SOURCES = ['web', 'src/pages/manifest.ts', 'scripts/build-web.ts']

/** The newest modification time under these paths. */
function newest(paths) {
  let latest = 0
  for (const path of paths) {
    const stat = statSync(path, { throwIfNoEntry: false })
    if (!stat) continue
    latest = Math.max(latest, stat.mtimeMs)
    if (stat.isDirectory()) latest = Math.max(latest, newest(readdirSync(path).map((name) => join(path, name))))
  }
  return latest
}

if (!existsSync(WEB_MANIFEST) || newest(WEB_SOURCES.map((p) => join(ROOT, p))) > statSync(WEB_MANIFEST).mtimeMs) {
  process.stderr.write('nianbao: building the pages’ assets (dist/web)\n')
  const built = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-web.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit']
  })
  if (built.status !== 0) process.exit(built.status ?? 1)
}
if (isStale()) {
  process.stderr.write('nianbao: building dist/nianbao.mjs\n')
  await bundle()
}
await import(pathToFileURL(BUNDLE).href)

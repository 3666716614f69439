// The built assets of the pages (web/ bundled by scripts/build-web.ts into dist/web): which files each page
// loads. File names carry a content hash, so they are cached for a year and never go stale.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const PAGES = ['overview', 'agency', 'report', 'findings', 'import'] as const
export type PageName = (typeof PAGES)[number]

export interface WebManifest {
  /** per page: its entry script and the chunks it imports statically (preloaded) */
  pages: Record<PageName, { script: string; preload: string[] }>
  /** the one style sheet of every page */
  style: string
  /** gzip-compressed bytes of the JavaScript each page loads before its first chart, and of the style sheet */
  budget: Record<PageName, number> & { style: number }
}

/** The project's root: the nearest folder above this module with a package.json (the repository, or /app in the image). */
export function projectRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) throw new Error('pages: no package.json above the application')
  }
}

export const defaultWebDir = () => join(projectRoot(), 'dist', 'web')

/** The manifest of a built web folder, or undefined when the pages were not built (`npm run build`). */
export function readManifest(dir: string): WebManifest | undefined {
  const file = join(dir, 'manifest.json')
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as WebManifest) : undefined
}

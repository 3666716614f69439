import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * A file of the project (migrations, seed data): modules run from the source tree under tsx and from
 * `dist/` once built, so the path is looked up from both depths.
 */
export function projectFile(relative: string): string {
  for (const base of ['../', '../../']) {
    const candidate = fileURLToPath(new URL(base + relative, import.meta.url))
    if (existsSync(candidate)) return candidate
  }
  throw new Error(`project file not found: ${relative}`)
}

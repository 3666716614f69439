// Headless Chromium for the page tests and the bench: Debian's `chromium` (never a downloaded browser),
// driven by playwright-core over CDP, in a fresh profile, with nothing reaching out to the network.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
]

export interface Browser {
  context: BrowserContext
  /** a new page that records console errors and failed requests */
  page(options?: { width?: number; height?: number }): Promise<Page & { errors: string[] }>
  close(): Promise<void>
}

export async function launch(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'nianbao-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN'
  })
  return {
    context,
    async page(options = {}) {
      const page = (await context.newPage()) as Page & { errors: string[] }
      if (options.width) await page.setViewportSize({ width: options.width, height: options.height ?? 900 })
      page.errors = []
      page.on('console', (m) => {
        if (m.type() === 'error') page.errors.push(m.text())
      })
      page.on('pageerror', (e) => page.errors.push(String(e)))
      page.on('requestfailed', (r) => page.errors.push(`failed: ${r.url()} ${r.failure()?.errorText}`))
      return page
    },
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    }
  }
}

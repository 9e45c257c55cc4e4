import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { type Browser, type BrowserContext, chromium, type ConsoleMessage, type Page } from 'playwright-core'

export const PHONE = { width: 390, height: 844 }
export const DESKTOP = { width: 1366, height: 900 }
export const screenshotDir = resolve(import.meta.dirname, '../artifacts/screenshots')

/** Debian's Chromium, headless, with nothing fetched from the network in the background. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  })
}

// Card pictures come from TCGdex, unreachable offline: their failed loads are expected, nothing else is.
const EXPECTED_FAILURES = [/assets\.tcgdex\.net/]

export interface WatchedPage {
  page: Page
  context: BrowserContext
  /** Console errors and uncaught page errors seen so far (expected offline image loads left out). */
  problems: string[]
  /** Fails when anything went to the console as an error or a page error happened. */
  assertClean: () => void
}

/** A new context + page at phone size (or `viewport`) that records every console error and page error. */
export async function openPage(browser: Browser, options: { viewport?: { width: number, height: number }, locale?: string, baseURL: string }): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? PHONE,
    locale: options.locale ?? 'en-GB',
    baseURL: options.baseURL,
    hasTouch: (options.viewport ?? PHONE).width < 600,
    isMobile: false,
    deviceScaleFactor: 1,
  })
  // Never let a test reach the internet; the image host answers "unreachable" at once.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, route => route.abort('internetdisconnected'))
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() !== 'error' && !(msg.type() === 'warning' && /hydration/i.test(msg.text()))) return
    const where = msg.location()?.url ?? ''
    if (EXPECTED_FAILURES.some(re => re.test(where) || re.test(msg.text()))) return
    problems.push(`console.${msg.type()}: ${msg.text()} (${where})`)
  })
  page.on('pageerror', err => problems.push(`pageerror: ${err.message}`))
  return {
    page,
    context,
    problems,
    assertClean: () => {
      if (problems.length) throw new Error(`Browser problems:\n${problems.join('\n')}`)
    },
  }
}

/** Saves a full-page PNG under tests/artifacts/screenshots/ (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true })
  const path = join(screenshotDir, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

/** Waits until Nuxt has hydrated the page (so clicks reach Vue handlers). */
export async function waitForHydration(page: Page) {
  await page.waitForSelector('html[data-ready]', { state: 'attached' })
}

import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { type Browser, type BrowserContext, chromium, type ConsoleMessage, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect as vitestExpect } from 'vitest'
import { setupApp, url } from './app'

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

/**
 * What every browser test file starts with: the app (setupApp, with `env`) and one headless Chromium,
 * launched before the file's tests and closed after them. `browser` is a getter because the browser
 * exists only once beforeAll has run; `base` is the app's origin without the trailing slash.
 */
export function useBrowserApp(env?: Record<string, string>) {
  setupApp(env)
  let browser: Browser | undefined
  beforeAll(async () => { browser = await launchBrowser() })
  afterAll(async () => { await browser?.close() })
  return {
    browser: () => browser!,
    base: () => url('/').replace(/\/$/, ''),
  }
}

// Card pictures the app cannot get from TCGdex (offline in tests) answer 404 and leave the placeholder: expected, nothing else is.
const EXPECTED_FAILURES = [/\/api\/cards\/[^/]+\/image\?/]

export interface WatchedPage {
  page: Page
  context: BrowserContext
  /** Console errors and uncaught page errors seen so far (expected offline image loads left out). */
  problems: string[]
  /** Fails when anything went to the console as an error or a page error happened. */
  assertClean: () => void
  /** Requests the test provokes on purpose (a wrong password, a 404 page): Chromium logs their status. */
  expectFailures: (url: RegExp) => void
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
  const expected = [...EXPECTED_FAILURES]
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() !== 'error' && !(msg.type() === 'warning' && /hydration/i.test(msg.text()))) return
    const where = msg.location()?.url ?? ''
    if (expected.some(re => re.test(where) || re.test(msg.text()))) return
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
    expectFailures: (url: RegExp) => { expected.push(url) },
  }
}

/** Saves a full-page PNG under tests/artifacts/screenshots/ (git-ignored). */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true })
  const path = join(screenshotDir, `${name}.png`)
  await page.screenshot({ path, fullPage: options.fullPage ?? true })
  return path
}

/** Waits until Nuxt has hydrated the page (so clicks reach Vue handlers). */
export async function waitForHydration(page: Page) {
  await page.waitForSelector('html[data-ready]', { state: 'attached' })
}

let accounts = 0

/** Signs up through the /register form and waits for the home page; returns the e-mail used. */
export async function signUpInBrowser(page: Page, name = 'Ash', password = 'correct horse battery'): Promise<string> {
  const email = `${name.toLowerCase()}-${Date.now().toString(36)}-${process.pid}-${++accounts}@example.test`
  await page.goto('/register')
  await waitForHydration(page)
  await page.fill('#reg-name', name)
  await page.fill('#reg-email', email)
  await page.fill('#reg-password', password)
  await page.click('[data-testid=register-form] button[type=submit]')
  await page.waitForURL(url => new URL(url).pathname === '/')
  return email
}

/** Adds files through FilePond's own file input on /import (as a user choosing them would). */
export async function addPhotos(page: Page, files: string[]) {
  if (!new URL(page.url()).pathname.startsWith('/import')) {
    await page.goto('/import')
    await waitForHydration(page)
  }
  await page.waitForSelector('.filepond--root .filepond--browser', { state: 'attached' })
  await page.setInputFiles('.filepond--browser', files)
}

/** Clicks "Analyse" and waits for the review page of the new batch; returns its id. */
export async function analyse(page: Page, timeout = 150_000): Promise<string> {
  await page.locator('[data-testid=analyse]:not([disabled])').click()
  await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/, { timeout })
  await page.waitForSelector('[data-testid=review-summary]')
  return new URL(page.url()).pathname.split('/').pop()!
}

export { type PhotoLabel, projectFixtures, realDevFixtures } from './fixtures'

// Web-first assertions (playwright-core has no `expect`): poll the page until the condition holds.
type Loc = ReturnType<Page['locator']>
interface PollOptions { timeout?: number }
const poll = <T>(fn: () => Promise<T>, message: string | undefined, options?: PollOptions) =>
  vitestExpect.poll(fn, { timeout: options?.timeout ?? 15_000, interval: 100, message })
const texts = async (loc: Loc) => (await loc.allInnerTexts()).join('\n').replace(/\s+/g, ' ')

export const expectText = (loc: Loc, text: string, options?: PollOptions & { message?: string }) =>
  poll(() => texts(loc), options?.message, options).toContain(text)
export const expectExactText = (loc: Loc, text: string, options?: PollOptions & { message?: string }) =>
  poll(async () => (await loc.first().innerText({ timeout: 1000 }).catch(() => '')).trim(), options?.message, options).toBe(text)
export const expectCount = (loc: Loc, n: number, options?: PollOptions & { message?: string }) =>
  poll(() => loc.count(), options?.message, options).toBe(n)
export const expectAttribute = (loc: Loc, name: string, value: string, options?: PollOptions & { message?: string }) =>
  poll(() => loc.first().getAttribute(name, { timeout: 1000 }).catch(() => null), options?.message, options).toBe(value)
export const expectVisible = (loc: Loc, options?: PollOptions & { message?: string }) =>
  poll(() => loc.first().isVisible(), options?.message, options).toBe(true)
export const expectDisabled = (loc: Loc, options?: PollOptions & { message?: string }) =>
  poll(() => loc.first().isDisabled({ timeout: 1000 }).catch(() => false), options?.message, options).toBe(true)
export const expectValue = (loc: Loc, value: string, options?: PollOptions & { message?: string }) =>
  poll(() => loc.first().inputValue({ timeout: 1000 }).catch(() => ''), options?.message, options).toBe(value)

/** Fails when the page is wider than the viewport (something does not fit the phone). */
export async function expectNoHorizontalOverflow(page: Page, label = page.url()) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  vitestExpect(overflow, `horizontal overflow on ${label}`).toBeLessThanOrEqual(0)
}

/**
 * Fails when the page's own content (`main`) is wider than the screen, whatever the layout around it
 * does (at 360 px the layout's top and tab bars are checked apart).
 */
export async function expectContentFits(page: Page, label = page.url()) {
  const overflow = await page.evaluate(() => {
    const main = document.querySelector('main')!
    return Math.max(main.scrollWidth - main.clientWidth, Math.ceil(main.getBoundingClientRect().right - window.innerWidth))
  })
  vitestExpect(overflow, `content wider than the screen on ${label}`).toBeLessThanOrEqual(0)
}

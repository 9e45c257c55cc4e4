import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rootDir, setupApp, url } from '../support/app'
import {
  addPhotos, analyse, DESKTOP, expectAttribute, expectCount, expectNoHorizontalOverflow, expectText, expectValue, launchBrowser, openPage, PHONE,
  screenshot, signUpInBrowser, waitForHydration,
} from '../support/browser'

setupApp()

let browser: Browser
beforeAll(async () => { browser = await launchBrowser() })
afterAll(async () => { await browser?.close() })

const base = () => url('/').replace(/\/$/, '')
const fixture = (file: string) => join(rootDir, 'tests/fixtures', file)

async function api<T = any>(page: Page, method: 'GET' | 'POST', path: string, data?: unknown): Promise<T> {
  const res = await page.request.fetch(path, { method, data, headers: { origin: base() } })
  expect(res.status(), `${method} ${path}: ${await res.text()}`).toBeLessThan(300)
  return res.json() as Promise<T>
}

/** The review page follows the analysis by itself: waits until every photo is done. */
async function analysisDone(page: Page, timeout = 150_000) {
  await page.waitForSelector('[data-testid=analysis-progress]', { state: 'detached', timeout })
}

/** Opens each pocket still to confirm, keeps (or picks) its first candidate and confirms it. */
async function confirmPockets(page: Page) {
  const pending = page.locator('[data-testid=scan-cell][data-status=pending]')
  for (let left = await pending.count(); left > 0; left--) {
    await pending.first().click()
    const dialog = page.locator('dialog[open]')
    const first = dialog.locator('[data-testid=candidate] input').first()
    if (!(await first.isChecked())) await first.check()
    await dialog.locator('[data-testid=confirm]').click()
    await expectCount(page.locator('dialog[open]'), 0, { timeout: 20_000 })
    await expectCount(pending, left - 1)
  }
}

const slotsOf = async (page: Page, binderId: string) => ((await api(page, 'GET', `/api/binders/${binderId}`)).slots as any[]).map(s => `${s.page}.${s.slot}:${s.card.cardId}`)

describe('scanning a binder page into its place', () => {
  it('in English on a phone: from the binder\'s page, a photo of the page, its cards confirmed into their pockets; the review at desktop size', async () => {
    const w = await openPage(browser, { baseURL: base(), viewport: PHONE })
    const { page } = w
    await signUpInBrowser(page, 'Ash')
    const { binder } = await api(page, 'POST', '/api/binders', { name: 'Pocket binder', layout: '2x2', pages: 4 })

    await page.goto(`/binders/${binder.id}`)
    await waitForHydration(page)
    await page.click('[data-testid=binder-scan]')
    await page.waitForURL(u => new URL(u).pathname === '/import')
    await waitForHydration(page)
    // The binder and its page are chosen before uploading.
    await expectValue(page.locator('[data-testid=scan-binder]'), binder.id)
    await page.fill('[data-testid=scan-page]', '2')
    await addPhotos(page, [fixture('syn1-013.jpg')])
    await expectNoHorizontalOverflow(page, '/import with a binder target at 390')
    await screenshot(page, 'scan-phone-en-import')
    await analyse(page)
    await analysisDone(page)

    // The review is the page as it lies: four pockets, in their places.
    const grid = page.locator('[data-testid=scan-grid][data-page="2"]')
    await expectText(grid, 'Pocket binder, page 2')
    await expectCount(grid.locator('button[data-testid=scan-cell]'), 4)
    await expectNoHorizontalOverflow(page, 'scan review at 390')
    await screenshot(page, 'scan-phone-en-review')
    await confirmPockets(page)
    for (const slot of [1, 2, 3, 4]) await expectAttribute(grid.locator(`[data-slot="${slot}"]`), 'data-status', 'selected')
    await expectText(grid, 'in its pocket')
    await screenshot(page, 'scan-phone-en-review-done')
    expect(await slotsOf(page, binder.id)).toEqual(['2.1:ex3-3', '2.2:xy7-53', '2.3:bw4-52', '2.4:sv04-076'])

    await page.setViewportSize(DESKTOP)
    await page.reload()
    await waitForHydration(page)
    await expectCount(page.locator('[data-testid=scan-grid] [data-status=selected]'), 4)
    await expectNoHorizontalOverflow(page, 'scan review at 1366')
    await screenshot(page, 'scan-desktop-en-review')
    await page.goto(`/binders/${binder.id}?page=2`)
    await waitForHydration(page)
    await expect.poll(() => page.locator('[data-testid=binder-page][data-page="2"] [data-slot="1"]').getAttribute('aria-label')).toContain('Crawdaunt')
    w.assertClean()
    await w.context.close()
  })

  it('in French on a desktop: the target chosen on the import page, a pocket already taken, the review on a phone', async () => {
    const w = await openPage(browser, { baseURL: base(), viewport: DESKTOP, locale: 'fr-FR' })
    const { page } = w
    await signUpInBrowser(page, 'Sacha')
    const { binder } = await api(page, 'POST', '/api/binders', { name: 'Classeur scanné', layout: '2x2', pages: 2 })
    // The first pocket of page 1 already holds a card.
    const { item } = await api(page, 'POST', '/api/collection', { cardId: 'sv03.5-025' })
    await api(page, 'POST', '/api/places/move', { userCardId: item.id, to: { binderId: binder.id, page: 1, slot: 1 } })

    await page.goto('/import')
    await waitForHydration(page)
    await page.locator('[data-testid=scan-on]').check()
    await page.selectOption('[data-testid=scan-binder]', binder.id)
    await expectValue(page.locator('[data-testid=scan-page]'), '1')
    await addPhotos(page, [fixture('syn1-013.jpg')])
    await expectNoHorizontalOverflow(page, '/import with a binder target at 1366 (fr)')
    await screenshot(page, 'scan-desktop-fr-import')
    await analyse(page)
    await analysisDone(page)

    const grid = page.locator('[data-testid=scan-grid][data-page="1"]')
    await expectText(grid, 'Classeur scanné, page 1')
    await screenshot(page, 'scan-desktop-fr-review')
    await confirmPockets(page)
    // Colhomard's pocket was taken: it is in the collection, not in the binder, and the page says so.
    await expectText(page.locator('[data-testid=toast]'), 'sa pochette contient déjà une autre carte')
    await expectText(grid.locator('[data-slot="1"]'), 'ajoutée, non rangée')
    await expectText(grid.locator('[data-slot="1"]'), 'Colhomard')
    expect(await slotsOf(page, binder.id)).toEqual(['1.1:sv03.5-025', '1.2:xy7-53', '1.3:bw4-52', '1.4:sv04-076'])

    await page.setViewportSize(PHONE)
    await page.reload()
    await waitForHydration(page)
    await expectCount(page.locator('[data-testid=scan-grid] [data-status=selected]'), 4)
    await expectNoHorizontalOverflow(page, 'scan review at 390 (fr)')
    await screenshot(page, 'scan-phone-fr-review')
    w.assertClean()
    await w.context.close()
  })
})

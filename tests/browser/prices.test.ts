import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../server/database/connection'
import { DESKTOP, expectCount, expectNoHorizontalOverflow, expectText, useBrowserApp, openPage, PHONE, screenshot, signUpInBrowser, waitForHydration } from '../support/browser'
import { startTcgdexStub } from '../support/tcgdex-stub'

// Prices and card pictures come from a local TCGdex stub; the browser itself reaches nothing outside.
const stub = await startTcgdexStub()
const CARDS = ['swsh3-136', 'base1-4', 'sv03.5-199']
if (process.env.DATABASE_URL) {
  const { db, close } = await openDatabase({ url: process.env.DATABASE_URL, dataDir: '' })
  try {
    for (const table of ['card_prices', 'card_price_history', 'card_price_checks'] as const) await db.deleteFrom(table).where('card_id', 'in', CARDS).execute().catch(() => {})
  }
  finally {
    await close()
  }
}
const { browser, base } = useBrowserApp({ PRICES_SOURCE: 'tcgdex', TCGDEX_API_URL: stub.url, PRICES_REQUESTS_PER_SECOND: '50', CARD_IMAGES: 'tcgdex', TCGDEX_ASSETS_URL: stub.assetsUrl })
afterAll(async () => { await stub.close() })
const digits = (text: string) => text.replace(/[^\d]/g, '')

/** Three Furrets (plain), a raw Base Set Charizard bought for €300 and a Charizard ex: €496.55 at the stub's prices. */
async function addStarterCollection(page: Page) {
  for (const body of [{ cardId: 'swsh3-136', quantity: 3 }, { cardId: 'base1-4', pricePaid: 300, pricePaidCurrency: 'EUR' }, { cardId: 'sv03.5-199' }]) {
    const res = await page.request.post('/api/collection', { data: body, headers: { origin: base() } })
    expect(res.status(), await res.text()).toBe(201)
  }
}

/** A picture that the browser shows for real (loaded, not the placeholder). */
async function expectPictureLoaded(page: Page, selector: string) {
  await expect.poll(() => page.locator(selector).first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 15_000 }).toBe(true)
}

/** Chart.js drew on the canvas (sized it to its box and painted it), not only that a canvas exists. */
async function expectChartDrawn(page: Page, scope: string) {
  await expect.poll(() => page.locator(`${scope} canvas`).first().evaluate((c: HTMLCanvasElement) => {
    const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
    let painted = 0
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++
    return c.style.display === 'block' && painted > 500
  }), { timeout: 15_000, message: `chart drawn in ${scope}` }).toBe(true)
}

async function addGradedCopyAndExport(page: Page, labels: { more: string, add: string }) {
  await page.goto('/cards/base1-4')
  await waitForHydration(page)
  // Base Set Charizard is a holo, unlimited or 1st Edition: the form offers those finishes and no other.
  expect(await page.locator('[data-testid=copy-finish] option').evaluateAll(os => os.map(o => (o as HTMLOptionElement).value))).toEqual(['holo', 'first-edition'])
  await page.getByText(labels.more).click()
  await page.selectOption('[data-testid=copy-grader]', 'PSA')
  await page.fill('[data-testid=copy-grade]', '10')
  await page.fill('[data-testid=copy-cert]', '12345678')
  await page.fill('[data-testid=copy-paid]', '1200')
  await page.selectOption('[data-testid=copy-paid-currency]', 'EUR')
  await page.click('[data-testid=add-to-collection]')
  await expectText(page.locator('[data-testid=owned-copies] [data-testid=slab-badge]'), 'PSA 10')

  await page.goto('/collection')
  await waitForHydration(page)
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-csv]')])
  const csv = readFileSync((await download.path())!, 'utf8')
  expect(csv).toMatch(/^base1-4,.*,PSA,10,12345678,,,1200\.00,EUR,,,$/m)
  expect(csv).toMatch(/^base1-4,.*,300\.00,EUR,,397\.58,EUR$/m)
}

describe('collection value, card prices and pictures (TCGdex stub)', () => {
  it('in English: refreshes prices, shows the value, the chart, a card\'s price and picture, edits and exports a graded copy', async () => {
    const w = await openPage(browser(), { baseURL: base(), viewport: PHONE })
    const { page } = w
    await signUpInBrowser(page, 'Oak')
    await addStarterCollection(page)

    await page.goto('/collection')
    await waitForHydration(page)
    await expectText(page.locator('[data-testid=value-panel]'), '0 of 5 copies priced')
    await page.click('[data-testid=refresh-prices]')
    // 3 × €0.08 + €397.58 + €98.73
    await expect.poll(async () => digits(await page.locator('[data-testid=value-panel] [data-testid=value-total]').innerText()), { timeout: 30_000 }).toBe('49655')
    await expectText(page.locator('[data-testid=value-panel]'), '5 of 5 copies priced')
    await expectText(page.locator('[data-testid=value-cost]'), '+€97.58')
    await page.click('[data-testid=value-details-toggle]')
    await expectText(page.locator('[data-testid=value-top]'), 'Charizard')
    await expectText(page.locator('[data-testid=value-by-set]'), 'Base Set')
    await expectChartDrawn(page, '[data-testid=value-panel]')
    await expectText(page.locator('[data-testid=value-panel] [data-testid=chart-table]'), '€496.55')
    await expectText(page.locator('[data-testid=prices-fetched]'), 'Prices fetched')
    await page.reload()
    await waitForHydration(page)
    const charizard = page.locator('[data-testid=collection-item]', { has: page.locator('a[href="/cards/base1-4"]') })
    await expectText(charizard.locator('[data-testid=item-price]'), '€397.58')
    await expectText(charizard.locator('[data-testid=item-profit]'), '+€97.58')
    await expectPictureLoaded(page, '[data-testid=collection-item] img')
    await expectNoHorizontalOverflow(page, '/collection at 390')
    await screenshot(page, 'prices-phone-collection')

    // Edited after adding: language and finish (only the card's variants are offered), place and notes.
    const furret = page.locator('[data-testid=collection-item]', { has: page.locator('a[href="/cards/swsh3-136"]') })
    await furret.locator('[data-testid=item-edit]').click()
    const editor = page.locator('[data-testid=copy-editor]')
    expect(await editor.locator('[data-testid=copy-finish] option').evaluateAll(os => os.map(o => (o as HTMLOptionElement).value))).toEqual(['normal', 'reverse'])
    await editor.getByLabel('Language').selectOption('fr')
    await editor.locator('[data-testid=copy-finish]').selectOption('reverse')
    await editor.locator('[data-testid=copy-location]').fill('Binder 2, page 4')
    await screenshot(page, 'prices-phone-editor')
    await editor.locator('[data-testid=copy-save]').click()
    await expectCount(editor, 0)
    await expectText(furret, 'French · Reverse holo')
    await expectText(furret.locator('[data-testid=item-price]'), '€0.21')

    await page.goto('/collection?sort=price')
    await waitForHydration(page)
    await expectText(page.locator('[data-testid=collection-item]').first(), 'Charizard')

    // The card page: its market prices, its picture served by the app, the user's copies, editable there.
    await page.goto('/cards/base1-4')
    await waitForHydration(page)
    await expectText(page.locator('[data-testid=card-price-cardmarket-holo]'), '€397.58')
    await expectText(page.locator('[data-testid=card-price-tcgplayer-holo]'), '$561.37')
    await expectPictureLoaded(page, '.art img')
    expect(await page.locator('.art img').getAttribute('src')).toBe('/api/cards/base1-4/image?lang=en&size=high')
    await expectText(page.locator('[data-testid=owned-copies]'), 'You have 1 copy')
    await page.click('[data-testid=owned-edit]')
    await page.locator('[data-testid=copy-editor] [data-testid=copy-notes]').fill('First holo I ever pulled')
    await page.click('[data-testid=copy-editor] [data-testid=copy-save]')
    await expectText(page.locator('[data-testid=owned-copy]'), 'First holo I ever pulled')
    await expectNoHorizontalOverflow(page, '/cards/base1-4 at 390')
    await screenshot(page, 'prices-phone-card')

    await addGradedCopyAndExport(page, { more: 'Grading, purchase, place and notes', add: 'Add' })

    // The same value on the home page, at desktop size too.
    for (const viewport of [PHONE, DESKTOP]) {
      await page.setViewportSize(viewport)
      await page.goto('/')
      await waitForHydration(page)
      await expectText(page.locator('[data-testid=home-value]'), '€496.94') // Furret's three copies are reverse now: 3 × €0.21
      await expectChartDrawn(page, '[data-testid=home-value]')
      await expectNoHorizontalOverflow(page, `/ at ${viewport.width}`)
      await screenshot(page, `prices-${viewport.width}-home`)
      await page.goto('/collection')
      await waitForHydration(page)
      await expectText(page.locator('[data-testid=value-panel]'), '1 graded copy not valued')
      await expectNoHorizontalOverflow(page, `/collection at ${viewport.width}`)
      await screenshot(page, `prices-${viewport.width}-collection`)
    }
    w.assertClean()
    await w.context.close()
  })

  it('in French: values in euros the French way, switches to dollars, adds and exports a graded copy', async () => {
    const w = await openPage(browser(), { baseURL: base(), viewport: DESKTOP, locale: 'fr-FR' })
    const { page } = w
    await signUpInBrowser(page, 'Sacha')
    await addStarterCollection(page)
    await page.goto('/')
    await waitForHydration(page)
    // Prices fetched by the first test are fresh: the refresh here finds nothing due and values at once.
    await page.click('[data-testid=refresh-prices]')
    await expectText(page.locator('[data-testid=home-value] [data-testid=value-total]'), '496,55')
    await expectText(page.locator('[data-testid=home-value]'), 'Valeur de la collection')
    await expectText(page.locator('[data-testid=home-value] [data-testid=chart-table]'), '496,55')
    await expectChartDrawn(page, '[data-testid=home-value]')
    await screenshot(page, 'prices-fr-desktop-home')

    await page.goto('/cards/sv03.5-199')
    await waitForHydration(page)
    await expectText(page.locator('[data-testid=card-price-cardmarket-holo]'), '98,73')
    await expectPictureLoaded(page, '.art img')
    expect(await page.locator('.art img').getAttribute('src')).toBe('/api/cards/sv03.5-199/image?lang=fr&size=high')

    await addGradedCopyAndExport(page, { more: 'Gradation, achat, emplacement et notes', add: 'Ajouter' })
    await expectText(page.locator('[data-testid=value-panel]'), '1 exemplaire gradé non évalué')
    await expectText(page.locator('[data-testid=collection-item] [data-testid=slab-badge]'), 'PSA 10')

    await page.setViewportSize(PHONE)
    await page.goto('/account')
    await waitForHydration(page)
    await page.click('[data-testid=currency-USD]')
    await expectText(page.locator('[data-testid=toast]'), 'USD')
    await expectNoHorizontalOverflow(page, '/account at 390 (fr)')
    await page.goto('/collection')
    await waitForHydration(page)
    // 3 × 0,09 $ + 561,37 $ + 118,42 $, the slab not valued
    await expectText(page.locator('[data-testid=value-panel] [data-testid=value-total]'), '680,06')
    await expectText(page.locator('[data-testid=value-panel] [data-testid=value-total]'), '$')
    await expectNoHorizontalOverflow(page, '/collection at 390 (fr)')
    await screenshot(page, 'prices-fr-phone-collection')
    w.assertClean()
    await w.context.close()
  })
})

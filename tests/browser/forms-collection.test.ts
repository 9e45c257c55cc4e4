import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  DESKTOP, expectCount, expectNoHorizontalOverflow, expectText, expectVisible, useBrowserApp, openPage, PHONE, screenshot,
  signUpInBrowser, waitForHydration,
} from '../support/browser'

const { browser, base } = useBrowserApp()
/** A person types about 8 keys a second. */
const HUMAN_KEY_DELAY_MS = 120

/** Opens `path` and types into the server-rendered fields at once, as a person would, without waiting for hydration. */
async function typeBeforeReady(page: Page, path: string, fields: [string, string][]) {
  await page.goto(path, { waitUntil: 'commit' })
  await page.waitForSelector(fields[0]![0])
  const startedBeforeReady = await page.evaluate(() => !document.documentElement.hasAttribute('data-ready'))
  for (const [selector, text] of fields) await page.type(selector, text, { delay: HUMAN_KEY_DELAY_MS })
  return startedBeforeReady
}

describe('forms keep what was typed before the page was ready (CPU slowed 4×)', () => {
  for (const [size, viewport, locale] of [['390 px, English', PHONE, 'en-GB'], ['360 px, French', { width: 360, height: 780 }, 'fr-FR']] as const) {
    it(`sign-up, sign-in and the collection search at ${size}`, async () => {
      const w = await openPage(browser(), { baseURL: base(), viewport, locale })
      const { page } = w
      const cdp = await w.context.newCDPSession(page)
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
      const email = `slow-${Date.now().toString(36)}-${locale}@example.test`
      const password = 'correct horse battery staple'

      const early = await typeBeforeReady(page, '/register', [['#reg-name', 'Sacha'], ['#reg-email', email], ['#reg-password', password]])
      expect(early, 'typing began before hydration').toBe(true)
      await page.click('[data-testid=register-form] button[type=submit]')
      await page.waitForURL(u => new URL(u).pathname === '/', { timeout: 60_000 })
      // The home page's own requests are done once it shows (clearing the cookie earlier would make them 401).
      await expectVisible(page.locator('[data-testid=home-import]'), { timeout: 30_000 })

      // Signed out, then in again through the sign-in form, typed just as early.
      await page.context().clearCookies()
      expect(await typeBeforeReady(page, '/login', [['#login-email', email], ['#login-password', password]])).toBe(true)
      await page.click('[data-testid=login-form] button[type=submit]')
      await page.waitForURL(u => new URL(u).pathname === '/', { timeout: 60_000 })

      await page.request.post('/api/collection', { data: { cardId: 'swsh12.5gg-GG10' }, headers: { origin: base() } })
      await page.request.post('/api/collection', { data: { cardId: 'sv02-012' }, headers: { origin: base() } })
      await typeBeforeReady(page, '/collection', [['#col-q', 'GG10']])
      await waitForHydration(page)
      await expectCount(page.locator('[data-testid=collection-item]'), 1, { timeout: 30_000 })
      expect(await page.locator('#col-q').inputValue()).toBe('GG10')
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 })
      w.assertClean()
      await w.context.close()
    })
  }
})

describe('collection: search, CSV preview and Cardmarket import, owned copies on the card page', () => {
  it('1366 px, French: a Cardmarket file previewed (added, merged, rejected in French), imported, then searched by number and set', async () => {
    const w = await openPage(browser(), { baseURL: base(), viewport: DESKTOP, locale: 'fr-FR' })
    const { page } = w
    await signUpInBrowser(page, 'Pierre')
    await page.request.post('/api/collection', { data: { cardId: 'sv02-012', language: 'fr', condition: 'LP', finish: 'reverse' }, headers: { origin: base() } })
    const csv = join(mkdtempSync(join(tmpdir(), 'pv-csv-')), 'stock-cardmarket.csv')
    writeFileSync(csv, [
      'cardmarketId,quantity,name,set,setCode,cn,condition,language,isFoil,isPlayset,isSigned,isFirstEd,isReverseHolo,price,comment,location,nameDE,nameES,nameFR,nameIT,rarity,listedAt',
      '1,2,Sprigatito,Paldea Evolved,PAL,012,EX,French,0,0,0,0,1,0.10,,,,,,,Common,2024-05-01',
      '2,1,Scizor VMAX,Darkness Ablaze,DAA,193,NM,English,1,0,0,0,0,9,,,,,,,Secret Rare,2024-05-01',
      '3,1,Mew,Crown Zenith,CRZ,GG10,MT,English,1,0,0,0,0,9,,,,,,,Rare,2024-05-01',
      '4,1,Pikachu,Paldea Evolved,PAL,012,NM,Klingon,0,0,0,0,0,1,,,,,,,Common,2024-05-01',
    ].join('\n'))

    await page.goto('/collection')
    await waitForHydration(page)
    await page.setInputFiles('[data-testid=import-csv]', csv)
    const dialog = page.locator('[data-testid=csv-preview]')
    await expectText(dialog.locator('[data-testid=csv-format]'), 'Cardmarket')
    await expectText(dialog.locator('[data-testid=csv-merged]'), '2 cartes rejoignent')
    await expectText(dialog.locator('[data-testid=csv-rejected]'), 'Langue inconnue « Klingon »')
    await screenshot(page, 'desktop-csv-preview-fr')
    // Nothing is imported while a line is rejected, unless the others are asked for.
    expect(await dialog.locator('[data-testid=csv-import]').isDisabled()).toBe(true)
    await dialog.locator('[data-testid=csv-mode-replace]').check()
    await expectText(dialog.locator('[data-testid=csv-removed]'), 'Votre carte actuelle est d’abord retirée')
    await dialog.locator('[data-testid=csv-mode-add]').check()
    await dialog.locator('[data-testid=csv-skip-invalid]').check()
    await dialog.locator('[data-testid=csv-import]').click()
    await expectText(page.locator('[data-testid=toast]'), '4 cartes importées')
    await expectText(page.locator('[data-testid=collection-totals]'), '5')

    // The collection search reads numbers, codes and set names as the catalogue's does.
    for (const [q, n] of [['193/189', 1], ['GG10', 1], ['Zénith Suprême', 1], ['PAL 012', 1], ['Écarlate et Violet', 0]] as const) {
      await page.fill('#col-q', q)
      await expectCount(page.locator('[data-testid=collection-item]'), n, { message: q, timeout: 10_000 })
    }
    await expectNoHorizontalOverflow(page)
    w.assertClean()
    await w.context.close()
  })

  it('390 px, English: the card page shows the copies owned and edits their language and finish', async () => {
    const w = await openPage(browser(), { baseURL: base() })
    const { page } = w
    await signUpInBrowser(page, 'Gary')
    await page.request.post('/api/collection', { data: { cardId: 'sv02-012', quantity: 2 }, headers: { origin: base() } })
    await page.goto('/cards/sv02-012')
    await waitForHydration(page)
    const owned = page.locator('[data-testid=owned-copies]')
    await expectText(owned, 'You have 2 copies')
    await owned.locator('[data-testid=owned-edit]').first().click()
    const editor = page.locator('[data-testid=copy-editor]')
    await expectVisible(editor)
    await editor.locator('select').nth(1).selectOption('fr')
    await editor.locator('[data-testid=copy-finish]').selectOption('reverse')
    await editor.locator('[data-testid=copy-save]').click()
    await expectText(owned, 'French · Reverse holo')
    await expectNoHorizontalOverflow(page)
    w.assertClean()
    await w.context.close()
  })
})

import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { rootDir } from '../support/app'
import {
  addPhotos, analyse, DESKTOP, expectAttribute, expectCount, expectNoHorizontalOverflow, expectText, expectValue, expectVisible, useBrowserApp,
  openPage, PHONE, screenshot, signUpInBrowser, waitForHydration,
} from '../support/browser'

const { browser, base } = useBrowserApp()
const fixture = (file: string) => join(rootDir, 'tests/fixtures', file)

/** A request to the API with the page's session (seeding what the test does not exercise through the UI). */
async function api<T = any>(page: Page, method: 'GET' | 'POST' | 'PATCH', path: string, data?: unknown): Promise<T> {
  const res = await page.request.fetch(path, { method, data, headers: { origin: base() } })
  expect(res.status(), `${method} ${path}: ${await res.text()}`).toBeLessThan(300)
  return res.json() as Promise<T>
}
const addCards = async (page: Page, cards: Record<string, unknown>[]) => {
  for (const body of cards) await api(page, 'POST', '/api/collection', body)
}
const slot = (page: Page, pageNo: number, n: number) => page.locator(`[data-testid=binder-page][data-page="${pageNo}"] [data-slot="${n}"]`)
const slotsOf = async (page: Page, binderId: string) => ((await api(page, 'GET', `/api/binders/${binderId}`)).slots as any[]).map(s => `${s.page}.${s.slot}:${s.card.cardId}`)

/** A finger swiping the binder to the left: touch events, which the browser turns into its own scroll, snapped to the next page. */
async function swipeLeft(page: Page) {
  const box = (await page.locator('[data-testid=binder-track]').boundingBox())!
  const cdp = await page.context().newCDPSession(page)
  const y = Math.round(box.y + Math.min(150, box.height / 2))
  const from = Math.round(box.x + box.width * 0.85)
  const to = Math.round(box.x + box.width * 0.15)
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from, y }] })
  for (let i = 1; i <= 10; i++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: Math.round(from + (to - from) * i / 10), y }] })
    await page.waitForTimeout(16)
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
  await cdp.detach()
}

/** Chart.js drew on the canvas (sized it and painted it), not only that a canvas exists. */
async function expectChartDrawn(page: Page, scope: string) {
  await expect.poll(() => page.locator(`${scope} canvas`).first().evaluate((c: HTMLCanvasElement) => {
    const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
    let painted = 0
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++
    return c.style.display === 'block' && painted > 300
  }), { timeout: 15_000, message: `chart drawn in ${scope}` }).toBe(true)
}

async function putFromPicker(page: Page, target: ReturnType<typeof slot>, search: string, name: string) {
  await target.click()
  const dialog = page.locator('dialog[open]')
  await dialog.locator('[data-testid=picker-search]').fill(search)
  await dialog.locator('[data-testid=picker-choice]', { hasText: name }).first().click()
  await expect.poll(() => target.getAttribute('aria-label')).toContain(name)
}

describe('binders in the browser', () => {
  it('in English: creates a binder, fills slots from the collection, moves cards by tapping (phone, swiping pages) and by dragging (desktop), shares it', async () => {
    const w = await openPage(browser(), { baseURL: base(), viewport: PHONE })
    const { page } = w
    await signUpInBrowser(page, 'Ash')
    await addCards(page, [{ cardId: 'sv03.5-025' }, { cardId: 'sv03.5-004' }, { cardId: 'sv03.5-007', quantity: 2 }])

    await page.goto('/binders')
    await waitForHydration(page)
    await page.click('[data-testid=binder-new]')
    await page.fill('[data-testid=binder-name]', 'Trade binder')
    await page.locator('label', { has: page.locator('[data-testid=binder-layout-2x2]') }).click()
    await page.fill('[data-testid=binder-pages]', '3')
    await page.click('[data-testid=binder-create]')
    await page.waitForURL(/\/binders\/[0-9a-f-]{36}/)
    const binderId = new URL(page.url()).pathname.split('/').pop()!
    await waitForHydration(page)
    await expectText(page.locator('[data-testid=page-label]'), 'Page 1 of 3')
    await expectCount(page.locator('[data-testid=binder-page][data-page="1"] [data-testid=binder-slot]'), 4)

    // An empty pocket, tapped, offers the cards placed nowhere.
    await putFromPicker(page, slot(page, 1, 1), 'pika', 'Pikachu')
    await putFromPicker(page, slot(page, 1, 2), 'char', 'Charmander')
    await expectNoHorizontalOverflow(page, 'binder at 390')
    await screenshot(page, 'binders-phone-en-binder')

    // Tap a card, tap another: they swap.
    await slot(page, 1, 1).click()
    await expectVisible(page.locator('[data-testid=slot-actions]'))
    await expectText(page.locator('[data-testid=slot-actions]'), 'Pikachu')
    await screenshot(page, 'binders-phone-en-picked', { fullPage: false })
    await slot(page, 1, 2).click()
    await expect.poll(() => slotsOf(page, binderId)).toEqual(['1.1:sv03.5-004', '1.2:sv03.5-025'])
    await expect.poll(() => slot(page, 1, 1).getAttribute('aria-label')).toContain('Charmander')

    // Pick Charmander up, swipe to page 2, put it in the third pocket.
    await slot(page, 1, 1).click()
    await swipeLeft(page)
    await expectText(page.locator('[data-testid=page-label]'), 'Page 2 of 3')
    await slot(page, 2, 3).click()
    await expect.poll(() => slotsOf(page, binderId)).toEqual(['1.2:sv03.5-025', '2.3:sv03.5-004'])
    expect(new URL(page.url()).searchParams.get('page')).toBe('2')

    // Taking a card out leaves it in the collection, placed nowhere; its place shows on the collection page.
    await slot(page, 2, 3).click()
    await page.click('[data-testid=slot-take-out]')
    await expect.poll(() => slotsOf(page, binderId)).toEqual(['1.2:sv03.5-025'])
    await page.goto('/collection?q=pikachu')
    await waitForHydration(page)
    await expectText(page.locator('[data-testid=collection-item] [data-testid=copy-places]'), 'Trade binder · page 1, row 1, column 2')

    // On a desktop: two facing pages, and cards are dragged.
    await page.setViewportSize(DESKTOP)
    await page.goto(`/binders/${binderId}`)
    await waitForHydration(page)
    await expectText(page.locator('[data-testid=page-label]'), 'Pages 1–2 of 3')
    await page.dragAndDrop('[data-testid=binder-page][data-page="1"] [data-slot="2"]', '[data-testid=binder-page][data-page="2"] [data-slot="4"]')
    await expect.poll(() => slotsOf(page, binderId)).toEqual(['2.4:sv03.5-025'])
    await putFromPicker(page, slot(page, 1, 1), 'squirtle', 'Squirtle')
    await page.dragAndDrop('[data-testid=binder-page][data-page="1"] [data-slot="1"]', '[data-testid=binder-page][data-page="2"] [data-slot="4"]')
    await expect.poll(() => slotsOf(page, binderId)).toEqual(['1.1:sv03.5-025', '2.4:sv03.5-007'])
    await expectNoHorizontalOverflow(page, 'binder at 1366')
    await screenshot(page, 'binders-desktop-en-binder')

    // Published: a stranger sees the same pages, read-only.
    await page.click('[data-testid=share-binder] [data-testid=share-create]')
    const link = await page.locator('[data-testid=share-binder] [data-testid=share-url]').inputValue()
    expect(link).toMatch(/\/u\/[\w-]{24}\/binder$/)
    const stranger = await openPage(browser(), { baseURL: base(), viewport: PHONE })
    await stranger.page.goto(new URL(link).pathname)
    await waitForHydration(stranger.page)
    await expectText(stranger.page.locator('[data-testid=public-owner]'), 'Shared by Ash')
    await expect.poll(() => slot(stranger.page, 1, 1).getAttribute('aria-label')).toContain('Pikachu')
    await expectCount(stranger.page.locator('button[data-testid=binder-slot]'), 0)
    await swipeLeft(stranger.page)
    await expectText(stranger.page.locator('[data-testid=page-label]'), 'Page 2 of 3')
    await expectNoHorizontalOverflow(stranger.page, 'public binder at 390')
    await screenshot(stranger.page, 'binders-phone-en-public-binder')
    stranger.assertClean()
    await stranger.context.close()
    w.assertClean()
    await w.context.close()
  })

  it('in French: fills a set binder, wants cards from their page, a search and a set\'s missing tab, reads the statistics, shares the collection', async () => {
    const w = await openPage(browser(), { baseURL: base(), viewport: DESKTOP, locale: 'fr-FR' })
    const { page } = w
    page.on('dialog', d => d.accept())
    await signUpInBrowser(page, 'Sacha')
    await addCards(page, [{ cardId: '2018sm-1' }, { cardId: '2018sm-4', quantity: 3 }, { cardId: '2018sm-11', language: 'fr' }, { cardId: 'sv03.5-025' }])

    await page.goto('/binders')
    await waitForHydration(page)
    await expectText(page.locator('h1'), 'Classeurs et boîtes')
    await page.click('[data-testid=binder-new]')
    await page.fill('[data-testid=binder-name]', 'McDo 2018')
    await page.click('[data-testid=binder-create]')
    await page.waitForURL(/\/binders\/[0-9a-f-]{36}/)
    const binderId = new URL(page.url()).pathname.split('/').pop()!
    await waitForHydration(page)
    await page.click('[data-testid=binder-fill]')
    await page.selectOption('[data-testid=fill-set]', '2018sm')
    await page.click('[data-testid=fill-submit]')
    await expectText(page.locator('[data-testid=toast]'), '3 cartes rangées (9 manquantes)')
    // Growlithe (1) first, Pikachu (4) fourth, Eevee (11) second on page 2; the other slots wait for their cards.
    await expect.poll(() => slotsOf(page, binderId)).toEqual(['1.1:2018sm-1', '1.4:2018sm-4', '2.2:2018sm-11'])
    // The empty pockets of a set binder say which card they wait for.
    await expect.poll(() => slot(page, 1, 2).getAttribute('aria-label')).toContain('vide, pour Psyduck')
    await expectText(page.locator('[data-testid=binder-summary]'), 'classeur de McDonald')
    await expectNoHorizontalOverflow(page, 'binder at 1366 (fr)')
    await screenshot(page, 'binders-desktop-fr-set-binder')

    // Wanted from the card page, from a search result, and all of a set's missing cards at once.
    await page.goto('/cards/base1-4')
    await waitForHydration(page)
    await page.click('[data-testid=want-add]')
    await expectText(page.locator('[data-testid=toast]'), 'ajoutée aux cartes recherchées')
    await page.goto('/cards?q=dracaufeu 199')
    await waitForHydration(page)
    await page.locator('[data-testid=want-add]').first().click()
    await expectText(page.locator('[data-testid=toast]'), 'ajoutée aux cartes recherchées')
    await page.goto('/sets/2018sm')
    await waitForHydration(page)
    await page.getByText('Manquantes').click()
    await expectText(page.locator('[data-testid=missing-add]'), 'Ajouter les 9 cartes manquantes')
    await page.click('[data-testid=missing-add]')
    await expectText(page.locator('[data-testid=toast]'), '9 cartes ajoutées aux recherches')

    await page.goto('/wants')
    await waitForHydration(page)
    await expectText(page.locator('h1'), 'Cartes recherchées')
    await expectCount(page.locator('[data-testid=want-item]'), 11)
    const charizard = page.locator('[data-testid=want-item]', { hasText: 'Dracaufeu' }).first()
    await charizard.getByRole('button', { name: 'Un de plus' }).click()
    await expectText(charizard.locator('[data-testid=want-quantity]'), '2')
    expect(await page.getAttribute('[data-testid=wants-export]', 'href')).toBe('/api/wants/export.csv')
    await expectNoHorizontalOverflow(page, '/wants at 1366 (fr)')
    await screenshot(page, 'binders-desktop-fr-wants')

    // Adding a wanted card to the collection takes it off the list.
    await api(page, 'POST', '/api/collection', { cardId: '2018sm-2' })
    await page.reload()
    await waitForHydration(page)
    await expectCount(page.locator('[data-testid=want-item]'), 10)

    await page.goto('/stats')
    await waitForHydration(page)
    await expectText(page.locator('h1'), 'Statistiques')
    for (const chart of ['set', 'type', 'language', 'finish']) await expectChartDrawn(page, `[data-testid=stats-${chart}]`)
    await expectText(page.locator('[data-testid=stats-type] [data-testid=chart-table]'), 'Électrique')
    await expectText(page.locator('[data-testid=stats-language] [data-testid=chart-table]'), 'Français')
    await expectText(page.locator('[data-testid=stats-duplicates]'), '2 exemplaires en plus du premier, d’une carte')
    await expectText(page.locator('[data-testid=stats-completion] li').first(), 'McDonald')
    await screenshot(page, 'binders-desktop-fr-stats')

    // On the phone: the rest of the menu is behind "Plus".
    await page.setViewportSize(PHONE)
    await page.goto('/')
    await waitForHydration(page)
    await page.click('[data-testid=nav-more]')
    await page.locator('[data-testid=more-menu] a', { hasText: 'Partage' }).click()
    await page.waitForURL(/\/sharing$/)
    await waitForHydration(page)
    await page.click('[data-testid=share-collection] [data-testid=share-create]')
    const link = await page.locator('[data-testid=share-collection] [data-testid=share-url]').inputValue()
    await page.click('[data-testid=share-collection] [data-testid=share-renew]')
    await expect.poll(() => page.locator('[data-testid=share-collection] [data-testid=share-url]').inputValue()).not.toBe(link)
    const renewed = await page.locator('[data-testid=share-collection] [data-testid=share-url]').inputValue()
    await expectNoHorizontalOverflow(page, '/sharing at 390 (fr)')
    await screenshot(page, 'binders-phone-fr-sharing')

    const stranger = await openPage(browser(), { baseURL: base(), viewport: PHONE, locale: 'fr-FR' })
    stranger.expectFailures(/\/u\/[\w-]+\/collection$/)
    const old = await stranger.page.goto(new URL(link).pathname)
    expect(old?.status()).toBe(404)
    await stranger.page.goto(new URL(renewed).pathname)
    await waitForHydration(stranger.page)
    await expectText(stranger.page.locator('[data-testid=public-owner]'), 'Partagé par Sacha')
    await expectCount(stranger.page.locator('[data-testid=public-item]'), 5)
    await stranger.page.fill('#pub-q', 'pika')
    await expectCount(stranger.page.locator('[data-testid=public-item]'), 2)
    await screenshot(stranger.page, 'binders-phone-fr-public-collection')
    stranger.assertClean()
    await stranger.context.close()
    w.assertClean()
    await w.context.close()
  })

  it('shows every page at 390 × 844 and 1366 × 900, in English and French, and a stranger walking the public pages sees nothing private', async () => {
    const owner = await openPage(browser(), { baseURL: base(), viewport: PHONE })
    const { page } = owner
    const secrets = { note: 'SECRET-NOTE-51', location: 'SECRET-SHELF-52', wantNote: 'SECRET-WANT-53', hidden: 'Hidden SECRET-54', box: 'SECRET-BOX-55' }
    const email = await signUpInBrowser(page, 'Misty')
    const me = (await api(page, 'GET', '/api/auth/me')).user
    const rows: string[] = []
    for (const body of [{ cardId: 'sv03.5-025', quantity: 2, notes: secrets.note, location: secrets.location, pricePaid: 77.7 }, { cardId: 'sv03.5-004' }, { cardId: 'swsh3-136', quantity: 4 }]) {
      rows.push((await api(page, 'POST', '/api/collection', body)).item.id as string)
    }
    const shown = (await api(page, 'POST', '/api/binders', { name: 'Show binder', layout: '3x4', pages: 3 })).binder
    const hidden = (await api(page, 'POST', '/api/binders', { name: secrets.hidden, layout: '2x2', pages: 1 })).binder
    const box = (await api(page, 'POST', '/api/boxes', { name: secrets.box })).box
    await api(page, 'POST', '/api/places/move', { userCardId: rows[0], to: { binderId: shown.id, page: 1, slot: 5 } })
    await api(page, 'POST', '/api/places/move', { userCardId: rows[0], to: { binderId: hidden.id, page: 1, slot: 1 } })
    await api(page, 'POST', '/api/places/move', { userCardId: rows[1], to: { binderId: shown.id, page: 2, slot: 12 } })
    await api(page, 'POST', '/api/places/move', { userCardId: rows[2], to: { boxId: box.id }, quantity: 3 })
    const wantId = (await api(page, 'POST', '/api/wants', { cardId: 'base1-4', note: secrets.wantNote })).id
    const links: Record<string, string> = {}
    const shareIds: string[] = []
    for (const body of [{ kind: 'collection' }, { kind: 'wants' }, { kind: 'binder', binderId: shown.id }]) {
      const { share } = await api(page, 'POST', '/api/shares', body)
      links[share.kind] = share.path
      shareIds.push(share.id)
    }

    const pages: [string, string, [string, string]][] = [
      ['binders', '/binders', ['Binders and boxes', 'Classeurs et boîtes']],
      ['binder', `/binders/${shown.id}`, ['Show binder', 'Show binder']],
      ['box', `/binders/boxes/${box.id}`, [secrets.box, secrets.box]],
      ['wants', '/wants', ['Want list', 'Cartes recherchées']],
      ['stats', '/stats', ['Statistics', 'Statistiques']],
      ['sharing', '/sharing', ['Sharing', 'Partage']],
      ['set-missing', '/sets/2018sm', ['McDonald', 'McDonald']],
      ['collection', '/collection', ['My collection', 'Ma collection']],
      ['public-collection', links.collection!, ['Collection', 'Collection']],
      ['public-wants', links.wants!, ['Want list', 'Cartes recherchées']],
      ['public-binder', links.binder!, ['Show binder', 'Show binder']],
    ]
    const french = await openPage(browser(), { baseURL: base(), viewport: PHONE, locale: 'fr-FR' })
    // The same session; the language follows the browser (the owner's context keeps its choice in pkv_locale).
    await french.context.addCookies((await owner.context.cookies()).filter(c => c.name !== 'pkv_locale'))
    for (const [lang, w] of [['en', owner], ['fr', french]] as const) {
      for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
        await w.page.setViewportSize(viewport)
        for (const [name, path, titles] of pages) {
          const res = await w.page.goto(path)
          expect(res?.status(), `${path} (${lang}, ${size})`).toBe(200)
          await waitForHydration(w.page)
          await expectText(w.page.locator('h1'), titles[lang === 'en' ? 0 : 1], { message: `${path} (${lang})` })
          if (name === 'set-missing') {
            await w.page.locator('.tabs .tab').nth(2).click()
            await expectVisible(w.page.locator('[data-testid=missing-form]'))
          }
          await expectNoHorizontalOverflow(w.page, `${path} at ${viewport.width} (${lang})`)
          await screenshot(w.page, `binders-${size}-${lang}-${name}`, { fullPage: size === 'phone' })
        }
      }
    }
    await expectText(page.locator('h1'), 'Show binder')
    owner.assertClean()
    french.assertClean()
    await french.context.close()

    // The leak walk: every public page and what it loads, signed out, page by page.
    const stranger = await openPage(browser(), { baseURL: base(), viewport: PHONE })
    const bodies: string[] = []
    stranger.page.on('response', async (res) => {
      if (res.url().startsWith(base()) && !/\.(js|css|svg|png|webp|woff2?)(\?|$)/.test(res.url())) bodies.push(await res.text().catch(() => ''))
    })
    for (const path of [links.collection!, `${links.collection}?q=pika`, links.wants!, links.binder!, `${links.binder}?page=2`]) {
      await stranger.page.goto(path)
      await waitForHydration(stranger.page)
      await expectText(stranger.page.locator('[data-testid=public-owner]'), 'Shared by Misty')
      expect(await stranger.page.locator('meta[name=robots]').getAttribute('content')).toBe('noindex, nofollow')
      bodies.push(await stranger.page.content())
    }
    await swipeLeft(stranger.page)
    await expectText(stranger.page.locator('[data-testid=page-label]'), 'Page 3 of 3')
    const forbidden = [email, me.id, ...rows, shown.id, hidden.id, box.id, wantId, ...shareIds, ...Object.values(secrets), '77.7']
    for (const secret of forbidden) expect(bodies.some(b => b.includes(secret)), `a public page shows ${secret}`).toBe(false)
    expect(bodies.join('\n')).toContain('Pikachu')
    stranger.assertClean()
    await stranger.context.close()
    await owner.context.close()
  })
})

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

describe('scanning a binder page into its place', () => {
  it('in English on a phone: from the binder\'s page, a photo of the page, its cards confirmed into their pockets; the review at desktop size', async () => {
    const w = await openPage(browser(), { baseURL: base(), viewport: PHONE })
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
    const w = await openPage(browser(), { baseURL: base(), viewport: DESKTOP, locale: 'fr-FR' })
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

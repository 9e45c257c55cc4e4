import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import {
  addPhotos, analyse, DESKTOP, expectAttribute, expectContentFits, expectCount, expectNoHorizontalOverflow, expectText, expectVisible, useBrowserApp,
  openPage, type PhotoLabel, projectFixtures, screenshot, signUpInBrowser, waitForHydration,
} from '../support/browser'

const { browser, base } = useBrowserApp()
const fixtures = projectFixtures()
const labelled = (l: PhotoLabel) => l.cards.filter(c => c.cardId && c.certain !== false)
const SMALL_PHONE = { width: 360, height: 780 }
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

async function analysisDone(page: Page, timeout = 150_000) {
  await page.waitForSelector('[data-testid=analysis-progress]', { state: 'detached', timeout })
}

/** The batch the review page shows, as the API answers it. */
async function batchOf(page: Page) {
  const id = new URL(page.url()).pathname.split('/').pop()
  return (await (await page.request.get(`/api/imports/batches/${id}`)).json()).batch
}

describe('from photo to collection (issue 17)', () => {
  it('sends the original photo: the bytes the server stored are the file\'s', async () => {
    const w = await openPage(browser(), { baseURL: base() })
    const { page } = w
    await signUpInBrowser(page, 'Ash')
    const photo = fixtures.labels.find(l => l.kind === 'single' && labelled(l).length === 1)!
    const file = join(fixtures.dir, photo.file)
    await addPhotos(page, [file])
    await analyse(page)
    const batch = await batchOf(page)
    const stored = await page.request.get(batch.images[0].url)
    expect(stored.status()).toBe(200)
    expect(sha256(await stored.body())).toBe(sha256(readFileSync(file)))
    expect(batch.images[0].filename).toBe(photo.file)
    w.assertClean()
    await w.context.close()
  })

  it('scales down only a photo over 4000 px, EXIF orientation applied', async () => {
    const w = await openPage(browser(), { baseURL: base(), viewport: DESKTOP })
    const { page } = w
    await signUpInBrowser(page, 'Brock')
    // 6000 × 4000 pixels stored sideways (EXIF orientation 6): a 4000 × 6000 portrait photo.
    const dir = mkdtempSync(join(tmpdir(), 'pv-big-'))
    const big = join(dir, 'big-sideways.jpg')
    const stripes = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="6000" height="4000"><rect width="6000" height="4000" fill="#dde"/><rect width="1500" height="4000" fill="#335"/></svg>`)
    writeFileSync(big, await sharp(stripes).jpeg({ quality: 80 }).withMetadata({ orientation: 6 }).toBuffer())
    await addPhotos(page, [big])
    await analyse(page)
    const batch = await batchOf(page)
    const stored = Buffer.from(await (await page.request.get(batch.images[0].url)).body())
    const meta = await sharp(stored).metadata()
    expect(meta.format).toBe('jpeg')
    // Portrait, long side at the limit, the orientation in the pixels (no EXIF turn left to apply).
    expect([meta.width, meta.height]).toEqual([2667, 4000])
    expect(meta.orientation ?? 1).toBe(1)
    // The dark stripe was on the left of the stored pixels: turned 90° clockwise, it is at the top.
    const { data } = await sharp(stored).resize(3, 3, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true })
    expect(data[1 * 3]!).toBeLessThan(120) // top middle: dark
    expect(data[(2 * 3 + 1) * 3]!).toBeGreaterThan(180) // bottom middle: light
    w.assertClean()
    await w.context.close()
  })

  it('phone, English: pictures on the candidates, everything preselected, "add all", undo, focus moves on, edits after adding, a missing card added', async () => {
    const w = await openPage(browser(), { baseURL: base() })
    const { page } = w
    await signUpInBrowser(page, 'Misty')
    const pictures = new Set<string>()
    page.on('request', (r) => { const m = r.url().match(/\/api\/cards\/([^/]+)\/image\?lang=\w\w&size=low$/); if (m) pictures.add(decodeURIComponent(m[1]!)) })
    const photos = fixtures.labels.filter(l => labelled(l).length >= 1).slice(0, 3)
    await addPhotos(page, photos.map(l => join(fixtures.dir, l.file)))
    await analyse(page)
    await analysisDone(page)
    await screenshot(page, 'phone-review-flow')
    await expectNoHorizontalOverflow(page)

    const drafts = page.locator('[data-testid=draft]')
    const pending = page.locator('[data-testid=draft][data-status=pending]')
    const total = await drafts.count()
    expect(total).toBeGreaterThanOrEqual(3)
    // Every pending tile has its first candidate chosen, a picture per candidate, and a language.
    for (let i = 0; i < await pending.count(); i++) {
      const tile = pending.nth(i)
      if (!(await tile.locator('[data-testid=candidate]').count())) continue
      expect(await tile.locator('[data-testid=candidate] input').first().isChecked()).toBe(true)
      expect(await tile.locator('[data-testid=candidate]').count()).toBe(await tile.locator('[data-testid=candidate-image]').count())
      // Each candidate's picture is asked of the app's cache (offline here: the placeholder stays).
      await tile.scrollIntoViewIfNeeded()
      const ids = await tile.locator('[data-testid=candidate]').evaluateAll(els => els.map(e => e.getAttribute('data-card-id')!))
      await expect.poll(() => ids.filter(id => !pictures.has(id))).toEqual([])
      await expectVisible(tile.locator('[data-testid=draft-language]'))
    }
    // Each photo says how many cards were found on it and offers to add a missing one.
    await expectCount(page.locator('[data-testid=missing-prompt]'), photos.length)

    // One tile added by hand: focus moves to the next tile to review.
    const first = pending.first()
    const firstId = await first.getAttribute('data-draft-id')
    await first.locator('[data-testid=confirm]').click()
    await expectAttribute(page.locator(`[data-draft-id="${firstId}"]`), 'data-status', 'selected', { timeout: 20_000 })
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('draft')
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-status'))
    expect(focused).toBe('pending')

    // Undo puts it back.
    await page.locator(`[data-draft-id="${firstId}"] [data-testid=draft-undo]`).click()
    await expectAttribute(page.locator(`[data-draft-id="${firstId}"]`), 'data-status', 'pending', { timeout: 20_000 })

    // "Add all" takes the sure and likely ones, with a count of each, in one tap.
    const addAll = page.locator('[data-testid=confirm-all]')
    await expectText(page.locator('[data-testid=confirm-all-counts]'), 'sure')
    const counts = (await page.locator('[data-testid=confirm-all-counts]').innerText()).match(/\d+/g)!.map(Number)
    const expected = (counts[0] ?? 0) + (counts[1] ?? 0)
    const before = await page.locator('[data-testid=draft][data-status=selected]').count()
    await addAll.click()
    await expectCount(page.locator('[data-testid=draft][data-status=selected]'), before + expected, { timeout: 60_000 })
    await screenshot(page, 'phone-review-flow-added')

    // An added card's language and finish are edited from its tile.
    const added = page.locator('[data-testid=draft][data-status=selected]').first()
    await added.locator('[data-testid=draft-edit]').click()
    const editor = page.locator('[data-testid=copy-editor]')
    await expectVisible(editor)
    await editor.locator('select').nth(1).selectOption('ja')
    const finishes = await editor.locator('[data-testid=copy-finish] option').evaluateAll(o => o.map(x => (x as HTMLOptionElement).value))
    const finish = finishes.at(-1)!
    await editor.locator('[data-testid=copy-finish]').selectOption(finish)
    await editor.locator('[data-testid=copy-save]').click()
    await expectText(page.locator('[data-testid=toast]'), 'Copy updated')
    const items = (await (await page.request.get('/api/collection?language=ja')).json()).items
    expect(items.map((i: any) => i.finish)).toEqual([finish])

    // A card the photo missed, added from the photo's prompt.
    await page.locator('[data-testid=add-missing]').first().click()
    const missing = page.locator('[data-testid=missing-tile]').first()
    await missing.locator('[data-testid=picker-search]').fill('PAL 012')
    await missing.locator('[data-testid=picker-result][data-card-id="sv02-012"]').click()
    await missing.locator('[data-testid=missing-add]').click()
    await expectVisible(missing.locator('[data-testid=missing-added]'))
    expect((await (await page.request.get('/api/collection?q=sv02-012')).json()).items).toHaveLength(1)
    w.assertClean()
    await w.context.close()
  })

  it('360 px, French: the import and review pages fit, real plurals, the raw text behind a toggle', async () => {
    const w = await openPage(browser(), { baseURL: base(), viewport: SMALL_PHONE, locale: 'fr-FR' })
    const { page } = w
    await signUpInBrowser(page, 'Ondine')
    await page.goto('/import')
    await waitForHydration(page)
    await expectText(page.locator('[data-testid=analyse]'), 'Ajoutez des photos pour commencer')
    await expectContentFits(page, '/import at 360 px in French')
    const remove = await (async () => {
      await addPhotos(page, [join(fixtures.dir, fixtures.labels[0]!.file)])
      await page.waitForSelector('.filepond--file-action-button.filepond--action-remove-item')
      return page.locator('.filepond--action-remove-item').first().boundingBox()
    })()
    expect(remove!.width).toBeGreaterThanOrEqual(44)
    expect(remove!.height).toBeGreaterThanOrEqual(44)
    await analyse(page)
    await analysisDone(page)
    await screenshot(page, 'phone360-review-fr')
    await expectContentFits(page, 'review at 360 px in French')
    const text = await page.locator('main').innerText()
    expect(text).not.toMatch(/\(s\)/)
    expect(text).toMatch(/1 carte trouvée sur cette photo/)
    // What OCR read stays behind its toggle.
    const raw = page.locator('[data-testid=draft] details.raw').first()
    if (await raw.count()) expect(await raw.evaluate(d => (d as HTMLDetailsElement).open)).toBe(false)
    w.assertClean()
    await w.context.close()
  })
})

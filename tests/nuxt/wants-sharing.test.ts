import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../server/database/connection'
import { anonymous, type Client, fetch, setupApp, signIn, signUp, uniqueEmail, url } from '../support/app'
import { waitFor } from '../support/services'
import { startTcgdexStub } from '../support/tcgdex-stub'

// Wanted cards get prices from a local TCGdex stub, never from the network.
const stub = await startTcgdexStub()
const PRICED = ['base1-4', 'sv03.5-199']
if (process.env.DATABASE_URL) {
  const { db, close } = await openDatabase({ url: process.env.DATABASE_URL, dataDir: '' })
  try {
    for (const table of ['card_prices', 'card_price_history', 'card_price_checks'] as const) await db.deleteFrom(table).where('card_id', 'in', PRICED).execute().catch(() => {})
    await db.updateTable('price_refresh_runs').set({ status: 'abandoned' }).where('status', '=', 'running').execute().catch(() => {})
  }
  finally {
    await close()
  }
}
setupApp({ PRICES_SOURCE: 'tcgdex', TCGDEX_API_URL: stub.url, PRICES_REQUESTS_PER_SECOND: '50' })
afterAll(() => stub.close())

const add = async (client: Client, body: Record<string, unknown>) =>
  (await client.api<{ item: any }>('/api/collection', { method: 'POST', json: body })).item
const want = (client: Client, json: Record<string, unknown>) => client.request('/api/wants', { method: 'POST', json })
const wants = (client: Client, query = '') => client.api<any>(`/api/wants${query}`)
/** A user whose display name has a space (signUp names users after their e-mail tag). */
async function signUpAs(name: string) {
  const email = uniqueEmail('public')
  const res = await fetch('/api/auth/register', { method: 'POST', headers: { 'content-type': 'application/json', origin: new URL(url('/')).origin }, body: JSON.stringify({ email, name, password: 'correct horse battery' }) })
  expect(res.status).toBe(202)
  return signIn(email, 'correct horse battery')
}
const entries = async (client: Client) => (await wants(client)).items.map((i: any) => [i.cardId, i.finish, i.quantity])

describe('want list', () => {
  it('adds cards, keeps them to their owner and refuses what is not a card', async () => {
    expect((await anonymous.request('/api/wants')).status).toBe(401)
    const ada = await signUp('wants-ada')
    const bea = await signUp('wants-bea')
    expect((await want(ada, { cardId: 'sv03.5-025', quantity: 2 })).status).toBe(201)
    expect((await want(ada, { cardId: 'sv03.5-025', note: 'French if possible' })).status).toBe(201)
    expect((await want(ada, { cardId: 'nope-1' })).status).toBe(422)
    expect((await want(ada, { cardId: 'sv03.5-003', finish: 'reverse' })).status).toBe(422)
    for (const body of [{}, { cardId: 'sv03.5-025', quantity: 0 }, { cardId: 'sv03.5-025', finish: 'gold' }, { cardId: 'sv03.5-025', extra: 1 }]) {
      expect((await want(ada, body)).status, JSON.stringify(body)).toBe(400)
    }
    const list = await wants(ada)
    expect(list.items).toMatchObject([{ cardId: 'sv03.5-025', finish: null, quantity: 3, note: 'French if possible', owned: 0, card: { name: 'Pikachu', setId: 'sv03.5', localId: '025' }, price: null }])
    const id = list.items[0].id
    for (const [method, json] of [['PATCH', { quantity: 1 }], ['DELETE', undefined]] as const) {
      expect((await bea.request(`/api/wants/${id}`, { method, json })).status, method).toBe(404)
    }
    expect((await wants(bea)).items).toEqual([])
    expect((await ada.request(`/api/wants/${id}`, { method: 'PATCH', json: { quantity: 5, note: null } })).status).toBe(200)
    expect(await entries(ada)).toEqual([['sv03.5-025', null, 5]])
    expect((await ada.request(`/api/wants/${id}`, { method: 'DELETE' })).status).toBe(200)
    expect((await ada.request(`/api/wants/${id}`, { method: 'DELETE' })).status).toBe(404)
  })

  it('crosses off copies as they are added (by hand or by CSV), the finish wanted first, counting quantities', async () => {
    const cal = await signUp('wants-cal')
    await want(cal, { cardId: 'swsh3-136', finish: 'reverse' })
    await want(cal, { cardId: 'swsh3-136', quantity: 2 })
    await want(cal, { cardId: 'sv03.5-004', quantity: 3 })
    await add(cal, { cardId: 'swsh3-136', finish: 'normal' })
    // In set order: Darkness Ablaze (2020) before 151 (2023).
    expect(await entries(cal)).toEqual([['swsh3-136', null, 1], ['swsh3-136', 'reverse', 1], ['sv03.5-004', null, 3]])
    await add(cal, { cardId: 'swsh3-136', finish: 'reverse', quantity: 2 })
    expect(await entries(cal)).toEqual([['sv03.5-004', null, 3]])
    await add(cal, { cardId: 'sv03.5-004', quantity: 2 })
    expect((await wants(cal)).items[0]).toMatchObject({ quantity: 1, owned: 2 })
    const form = new FormData()
    form.set('file', new Blob(['card_id,quantity\nsv03.5-004,1\n'], { type: 'text/csv' }), 'cards.csv')
    expect((await cal.request('/api/collection/import', { method: 'POST', body: form })).status).toBe(200)
    expect(await entries(cal)).toEqual([])
  })

  it('adds all the missing cards of a set, filtered, once', async () => {
    const dan = await signUp('wants-dan')
    await add(dan, { cardId: '2018sm-4' })
    expect(await dan.api('/api/wants/missing', { method: 'POST', json: { setId: '2018sm' } })).toEqual({ added: 11, alreadyWanted: 0 })
    expect(await dan.api('/api/wants/missing', { method: 'POST', json: { setId: '2018sm' } })).toEqual({ added: 0, alreadyWanted: 11 })
    expect((await wants(dan)).items.map((i: any) => i.cardId)).not.toContain('2018sm-4')

    const set = await anonymous.api<any>('/api/sets/sv03.5')
    const doubleRares = set.cards.filter((c: any) => c.rarity === 'Double rare' && c.number <= set.set.printedTotal).length
    await add(dan, { cardId: 'sv03.5-003' })
    const res = await dan.api<any>('/api/wants/missing', { method: 'POST', json: { setId: 'sv03.5', regularOnly: true, rarities: ['Double rare'] } })
    expect(res).toEqual({ added: doubleRares - 1, alreadyWanted: 0 })
    expect((await dan.request('/api/wants/missing', { method: 'POST', json: { setId: 'nope' } })).status).toBe(422)
    expect((await dan.request('/api/wants/missing', { method: 'POST', json: { setId: 'sv03.5', categories: ['Robot'] } })).status).toBe(400)
  })

  it('values the list once the refresh has fetched the wanted cards\' prices, and exports it as CSV', async () => {
    const eli = await signUp('wants-eli')
    await want(eli, { cardId: 'base1-4' })
    await want(eli, { cardId: 'sv03.5-199', quantity: 2, note: '=HYPERLINK("x")' })
    expect((await wants(eli)).totals).toMatchObject({ entries: 2, copies: 3, value: 0, pricedEntries: 0, currency: 'EUR' })
    // Nothing owned: the refresh fetches the wanted cards all the same.
    expect((await eli.request('/api/prices/refresh', { method: 'POST' })).status).toBe(202)
    await waitFor(async () => (await wants(eli)).totals.pricedEntries === 2, 30_000, 'wanted cards priced', 200)
    const list = await wants(eli, '?sort=price')
    expect(list.totals).toMatchObject({ value: 595.04, pricedEntries: 2 })
    expect(list.items.map((i: any) => [i.cardId, i.price.unit, i.price.total])).toEqual([['base1-4', 397.58, 397.58], ['sv03.5-199', 98.73, 197.46]])

    const res = await eli.request('/api/wants/export.csv')
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="pokeventory-wants-\d{4}-\d{2}-\d{2}\.csv"/)
    const lines = (await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(lines[0]).toBe('card_id,set_id,set_code,set_name,local_id,name,quantity,finish,note,market_price,market_currency')
    expect(lines).toContain('base1-4,base1,BS,Base Set,4,Charizard,1,,,397.58,EUR')
    expect(lines.find(l => l.startsWith('sv03.5-199'))).toMatch(/,2,,"'=HYPERLINK\(""x""\)",98\.73,EUR$/)
  })
})

describe('statistics', () => {
  it('counts the collection by set, serie, rarity, type, language and finish, with duplicates and completion', async () => {
    const fox = await signUp('stats-fox')
    const empty = await fox.api<any>('/api/stats')
    expect(empty).toMatchObject({ totals: { copies: 0, cards: 0 }, bySet: [], added: [], duplicates: { cards: 0, extra: 0, items: [] }, completion: [] })
    await add(fox, { cardId: 'sv03.5-025', quantity: 3 })
    await add(fox, { cardId: 'sv03.5-025', language: 'fr' })
    await add(fox, { cardId: 'sv03.5-165' }) // Rigid Band, a Trainer
    await add(fox, { cardId: '2018sm-4', finish: 'holo' })
    for (const n of [1, 2, 3]) await add(fox, { cardId: `2018sm-${n}` })
    const stats = await fox.api<any>('/api/stats?lang=fr')
    expect(stats.totals).toEqual({ copies: 9, cards: 6, rows: 7, sets: 2 })
    expect(stats.bySet.map((b: any) => [b.key, b.copies, b.cards])).toEqual([['sv03.5', 5, 2], ['2018sm', 4, 4]])
    expect(stats.bySet[0].label).toBe('151')
    expect(stats.byType).toContainEqual({ key: 'Lightning', label: 'Lightning', copies: 5, cards: 2 })
    expect(stats.byType).toContainEqual({ key: 'Trainer', label: 'Trainer', copies: 1, cards: 1 })
    expect(stats.byLanguage.map((b: any) => [b.key, b.copies])).toEqual([['en', 8], ['fr', 1]])
    expect(stats.byFinish.map((b: any) => [b.key, b.copies])).toEqual([['holo', 4], ['normal', 5]].sort((a, b) => (b[1] as number) - (a[1] as number)))
    expect(stats.byRarity.map((b: any) => b.key)).toEqual(expect.arrayContaining(['Common', 'Uncommon', 'None']))
    expect(stats.duplicates).toMatchObject({ cards: 1, extra: 3, items: [{ cardId: 'sv03.5-025', name: 'Pikachu', copies: 4, extra: 3 }] })
    expect(stats.completion[0]).toEqual({ setId: '2018sm', name: expect.any(String), owned: 4, total: 12, percent: 33.3 })
    expect(stats.completion[1]).toMatchObject({ setId: 'sv03.5', owned: 2 })
    const month = new Date().toISOString().slice(0, 7)
    expect(stats.added).toEqual([{ month: expect.any(String), copies: 0, total: 0 }, { month, copies: 9, total: 9 }])
  })
})

/** Every id and secret of a user that no public page may show. */
const SECRETS = {
  note: 'SECRET-NOTE-7f3a',
  location: 'SECRET-SHELF-91',
  wantNote: 'SECRET-WANT-NOTE-2b',
  hiddenBinder: 'Hidden binder SECRET-55',
  box: 'SECRET-BOX-12',
}

describe('public pages', () => {
  let owner: Client
  let other: Client
  const privateIds: string[] = []
  const shares: Record<string, any> = {}

  it('publishes the collection, the want list and one binder, each at its own unguessable link', async () => {
    owner = await signUpAs('Lena Leak')
    other = await signUpAs('Otto Other')
    const pikachu = await add(owner, { cardId: 'sv03.5-025', quantity: 2, notes: SECRETS.note, location: SECRETS.location, pricePaid: 123.45 })
    const charmander = await add(owner, { cardId: 'sv03.5-004' })
    const trade = (await owner.api<any>('/api/binders', { method: 'POST', json: { name: 'Trade binder', layout: '2x2', pages: 2 } })).binder
    const hidden = (await owner.api<any>('/api/binders', { method: 'POST', json: { name: SECRETS.hiddenBinder } })).binder
    const box = (await owner.api<any>('/api/boxes', { method: 'POST', json: { name: SECRETS.box } })).box
    await owner.api('/api/places/move', { method: 'POST', json: { userCardId: pikachu.id, to: { binderId: trade.id, page: 1, slot: 2 } } })
    await owner.api('/api/places/move', { method: 'POST', json: { userCardId: pikachu.id, to: { binderId: hidden.id, page: 1, slot: 1 } } })
    await owner.api('/api/places/move', { method: 'POST', json: { userCardId: charmander.id, to: { boxId: box.id } } })
    expect((await want(owner, { cardId: 'base1-4', note: SECRETS.wantNote })).status).toBe(201)
    const wantId = (await wants(owner)).items[0].id
    // Another user's things must never appear on the owner's pages.
    const otherCopy = await add(other, { cardId: 'base1-58', notes: 'OTTO-NOTE' })
    await want(other, { cardId: 'sv02-012' })
    const otherShare = (await other.api<any>('/api/shares', { method: 'POST', json: { kind: 'collection' } })).share

    expect((await owner.request('/api/shares', { method: 'POST', json: { kind: 'binder' } })).status).toBe(400)
    for (const kind of ['collection', 'wants'] as const) shares[kind] = (await owner.api<any>('/api/shares', { method: 'POST', json: { kind } })).share
    shares.binder = (await owner.api<any>('/api/shares', { method: 'POST', json: { kind: 'binder', binderId: trade.id } })).share
    for (const share of Object.values(shares)) {
      expect(share.slug).toMatch(/^[\w-]{24}$/) // 144 random bits
      expect(share.path).toBe(`/u/${share.slug}/${share.kind}`)
    }
    expect(new Set(Object.values(shares).map(s => s.slug)).size).toBe(3)
    expect((await owner.api<any>('/api/binders')).binders.map((b: any) => [b.name, b.shared])).toEqual([['Trade binder', true], [SECRETS.hiddenBinder, false]])
    privateIds.push(owner.user.id, other.user.id, pikachu.id, charmander.id, trade.id, hidden.id, box.id, wantId, otherCopy.id, otherShare.id, ...Object.values(shares).map(s => s.id))
  })

  it('shows each one signed out, read-only, noindex, with the owner\'s display name and nothing private (the leak walk)', async () => {
    const forbidden = [...privateIds, owner.user.email, other.user.email, 'Otto Other', 'OTTO-NOTE', 'base1-58', 'sv02-012', ...Object.values(SECRETS), '123.45']
    const expectClean = (text: string, where: string) => {
      for (const secret of forbidden) expect(text.includes(secret), `${where} shows ${secret}`).toBe(false)
    }
    const pages: Record<string, { api: any, mustShow: string[] }> = {
      collection: { api: null, mustShow: ['Pikachu', 'Charmander'] },
      wants: { api: null, mustShow: ['Charizard'] },
      binder: { api: null, mustShow: ['Trade binder', 'Pikachu'] },
    }
    for (const [kind, page] of Object.entries(pages)) {
      const slug = shares[kind].slug
      for (const path of [`/api/public/${slug}`, `/api/public/${slug}?page=2`, `/api/public/${slug}?lang=fr`, `/api/public/${slug}?q=pika`]) {
        const res = await anonymous.request(path)
        expect(res.status, path).toBe(200)
        expect(res.headers.get('x-robots-tag'), path).toMatch(/noindex/)
        expect(res.headers.get('cache-control'), path).toMatch(/no-store/)
        const text = await res.text()
        expectClean(text, path)
        if (!path.includes('page=2')) page.api = page.api ?? JSON.parse(text)
      }
      expect(page.api).toMatchObject({ kind, owner: { name: 'Lena Leak' } })
      expect(Object.keys(page.api.owner)).toEqual(['name'])
      // The HTML page, rendered on the server for a visitor with no session.
      const html = await anonymous.request(shares[kind].path)
      expect(html.status, shares[kind].path).toBe(200)
      expect(html.headers.get('x-robots-tag')).toMatch(/noindex/)
      const body = await html.text()
      expect(body).toMatch(/<meta name="robots" content="noindex, nofollow"/)
      expect(body).toContain('Lena Leak')
      for (const text of page.mustShow) expect(body, `${kind} shows ${text}`).toContain(text)
      expectClean(body, shares[kind].path)
      // Signed in as someone else changes nothing.
      expectClean(await (await other.request(`/api/public/${shares[kind].slug}`)).text(), `${kind} as another user`)
    }
    expect(pages.collection!.api.collection).toMatchObject({ total: 2, totals: { cards: 3, distinct: 2 } })
    expect(pages.collection!.api.collection.items[0]).not.toHaveProperty('id')
    expect(pages.binder!.api.binder.slots).toMatchObject([{ page: 1, slot: 2, card: { cardId: 'sv03.5-025' } }])
    expect(pages.binder!.api.binder.slots[0].card).not.toHaveProperty('userCardId')
    expect(pages.wants!.api.wants.items).toMatchObject([{ cardId: 'base1-4', note: null }])
  })

  it('answers 404 to a wrong slug or kind, and no public route takes a write', async () => {
    for (const path of ['/api/public/AAAAAAAAAAAAAAAAAAAAAAAA', '/api/public/short', `/api/public/${shares.collection.slug}x`]) {
      expect((await anonymous.request(path)).status, path).toBe(404)
    }
    expect((await anonymous.request(`/u/${shares.collection.slug}/wants`)).status).toBe(404)
    expect((await anonymous.request('/u/AAAAAAAAAAAAAAAAAAAAAAAA/collection')).status).toBe(404)
    const before = await owner.api<any>('/api/collection')
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      for (const client of [anonymous, owner]) {
        const res = await client.request(`/api/public/${shares.collection.slug}`, { method, json: { quantity: 99, name: 'x' } })
        expect([404, 405], `${method} as ${client.user.name || 'stranger'}`).toContain(res.status)
      }
    }
    expect((await owner.api<any>('/api/collection')).items).toEqual(before.items)
  })

  it('revokes: a new link kills the old one, stopping kills the link, deleting a binder kills its link', async () => {
    const old = shares.collection.slug
    const renewed = (await owner.api<any>('/api/shares', { method: 'POST', json: { kind: 'collection' } })).share
    expect(renewed.slug).not.toBe(old)
    expect((await anonymous.request(`/api/public/${old}`)).status).toBe(404)
    expect((await anonymous.request(`/u/${old}/collection`)).status).toBe(404)
    expect((await anonymous.request(`/api/public/${renewed.slug}`)).status).toBe(200)
    expect((await other.request(`/api/shares/${renewed.id}`, { method: 'DELETE' })).status).toBe(404)
    expect((await owner.request(`/api/shares/${renewed.id}`, { method: 'DELETE' })).status).toBe(200)
    expect((await anonymous.request(`/api/public/${renewed.slug}`)).status).toBe(404)
    expect((await owner.request(`/api/binders/${shares.binder.binderId}`, { method: 'DELETE' })).status).toBe(200)
    expect((await anonymous.request(`/api/public/${shares.binder.slug}`)).status).toBe(404)
    expect((await owner.api<any>('/api/shares')).shares.map((s: any) => s.kind)).toEqual(['wants'])
  })
})


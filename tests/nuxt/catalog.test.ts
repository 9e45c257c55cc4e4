import { describe, expect, it } from 'vitest'
import { anonymous, clientFor, setupApp, signUp } from '../support/app'

setupApp()

const search = async (params: Record<string, string>) => {
  const res = await anonymous.request(`/api/cards?${new URLSearchParams(params)}`)
  expect(res.status, await res.clone().text()).toBe(200)
  return res.json()
}

describe('GET /api/cards', () => {
  it('finds Charizard first from its French name and from a typo', async () => {
    for (const q of ['Dracaufeu', 'charizrd']) {
      const body = await search({ q })
      expect(body.total).toBeGreaterThan(5)
      expect(body.items[0].names.en, q).toMatch(/charizard/i)
      // The first few are all Charizard cards, not a Charmander.
      for (const item of body.items.slice(0, 5)) expect(item.names.en, q).toMatch(/charizard/i)
    }
  })

  it('puts exact names before longer ones', async () => {
    const { items } = await search({ q: 'Dracaufeu' })
    expect(items[0].names.fr).toBe('Dracaufeu')
  })

  it('finds a card by set code and number, with or without the printed total', async () => {
    for (const q of ['PAL 12', 'PAL 012/193', 'pal fr 012/193', 'sv02-012', 'SV02-012']) {
      const { items } = await search({ q })
      expect(items[0]?.id, q).toBe('sv02-012')
    }
  })

  it('finds a card by number and printed total alone', async () => {
    const { items, total } = await search({ q: '12/193' })
    expect(items[0].id).toBe('sv02-012')
    for (const item of items) expect(item.printedTotal).toBe(193)
    expect(total).toBe(items.length)
  })

  it('finds local ids like TG05 and SWSH050', async () => {
    const tg = await search({ q: 'TG05' })
    expect(tg.items.length).toBeGreaterThan(1)
    for (const item of tg.items) expect(item.localId).toBe('TG05')
    expect((await search({ q: 'SWSH050' })).items[0].id).toBe('swshp-SWSH050')
  })

  it('answers every field the UI needs, with the TCGdex image URL', async () => {
    const { items } = await search({ q: 'sv02-012' })
    expect(items[0]).toEqual({
      id: 'sv02-012',
      setId: 'sv02',
      setName: 'Paldea Evolved',
      setCode: 'PAL',
      localId: '012',
      number: 12,
      name: 'Sprigatito',
      names: expect.objectContaining({ en: 'Sprigatito', fr: 'Poussacha' }),
      hp: 60,
      category: 'Pokemon',
      rarity: 'Common',
      illustrator: 'Megumi Mizutani',
      regulationMark: 'G',
      variants: ['normal', 'reverse'],
      printedTotal: 193,
      imageUrl: '/api/cards/sv02-012/image?lang=en&size=low',
    })
  })

  it('filters by set and by language, naming cards in that language', async () => {
    const inSet = await search({ q: 'charizard', set: 'base1' })
    expect(inSet.items.map((i: { id: string }) => i.id)).toEqual(['base1-4'])

    const fr = await search({ q: 'sv02-012', lang: 'fr' })
    expect(fr.items[0].name).toBe('Poussacha')
    expect(fr.items[0].setName).toBe('Évolutions à Paldea')
    expect(fr.items[0].imageUrl).toBe('/api/cards/sv02-012/image?lang=fr&size=low')

    // 2013bw cards exist only in French: an English-only listing leaves them out.
    const setFr = await search({ set: '2013bw', lang: 'fr' })
    const setEn = await search({ set: '2013bw', lang: 'en' })
    expect(setFr.total).toBeGreaterThan(0)
    expect(setEn.total).toBeLessThan(setFr.total)
  })

  it('pages through results without overlap and reports the total', async () => {
    const first = await search({ q: 'pikachu', pageSize: '10' })
    const second = await search({ q: 'pikachu', pageSize: '10', page: '2' })
    expect(first.total).toBeGreaterThan(20)
    expect(second.total).toBe(first.total)
    expect(first.items).toHaveLength(10)
    const ids = new Set(first.items.map((i: { id: string }) => i.id))
    for (const item of second.items) expect(ids.has(item.id)).toBe(false)

    const beyond = await search({ q: 'pikachu', pageSize: '100', page: '999' })
    expect(beyond.items).toEqual([])
    expect(beyond.total).toBe(first.total)
  })

  it('answers an empty page, not an error, for a query that matches nothing', async () => {
    const body = await search({ q: 'zzqqxxwwvv' })
    expect(body).toEqual({ items: [], total: 0, page: 1, pageSize: 24 })
  })

  it('answers 400 for bad parameters', async () => {
    for (const qs of ['pageSize=1000', 'pageSize=0', 'page=0', 'page=abc', 'lang=xx', `q=${'a'.repeat(101)}`, 'q=a&q=b']) {
      const res = await anonymous.request(`/api/cards?${qs}`)
      expect(res.status, qs).toBe(400)
      const body = await res.json()
      expect(body.data.issues.length, qs).toBeGreaterThan(0)
    }
  })

  it('survives LIKE wildcards and odd characters', async () => {
    for (const q of ['%', '_', '\\', "'; drop table cards; --", '100%', '???']) {
      const res = await anonymous.request(`/api/cards?${new URLSearchParams({ q })}`)
      expect(res.status, q).toBe(200)
    }
  })
})

describe('GET /api/cards/:id', () => {
  it('returns the card with its set, and 404 for an unknown id', async () => {
    const { card } = await anonymous.api('/api/cards/sv02-012')
    expect(card).toMatchObject({ id: 'sv02-012', name: 'Sprigatito', types: ['Grass'], stage: 'Basic', owned: null })
    expect(card.set).toMatchObject({ id: 'sv02', code: 'PAL', printedTotal: 193, serieId: 'sv', serieName: 'Scarlet & Violet' })

    expect((await anonymous.request('/api/cards/nope-999')).status).toBe(404)
    expect((await anonymous.request(`/api/cards/${'x'.repeat(300)}`)).status).toBe(404)
    expect((await anonymous.request('/api/cards/%E0%A4%A')).status).toBe(404)
    expect((await anonymous.request('/api/sets/%E0%A4%A')).status).toBe(404)
  })
})

describe('sets and the signed-in user\'s completion', () => {
  it('lists sets newest first, filters by serie and by name in any language', async () => {
    const { sets } = await anonymous.api('/api/sets')
    expect(sets.length).toBeGreaterThan(150)
    expect(sets[0].owned).toBeUndefined()
    const dates = sets.map((s: { releaseDate: string }) => s.releaseDate).filter(Boolean)
    expect(dates).toEqual([...dates].sort().reverse())

    const sv = (await anonymous.api('/api/sets?serie=sv')).sets
    expect(sv.length).toBeGreaterThan(5)
    for (const set of sv) expect(set.serieId).toBe('sv')

    const byFrench = (await anonymous.api(`/api/sets?${new URLSearchParams({ q: 'evolutions a paldea' })}`)).sets
    expect(byFrench.map((s: { id: string }) => s.id)).toEqual(['sv02'])
    expect((await anonymous.api('/api/sets?q=PAL')).sets[0]).toMatchObject({ id: 'sv02', name: 'Paldea Evolved', code: 'PAL', printedTotal: 193 })
  })

  it('shows a set with its cards; completion is null when anonymous', async () => {
    const body = await anonymous.api('/api/sets/sv02')
    expect(body.set.id).toBe('sv02')
    expect(body.cards.length).toBe(279)
    expect(body.cards[0].number).toBe(1)
    expect(body.completion).toBeNull()
    expect((await anonymous.request('/api/sets/nope')).status).toBe(404)
    expect((await anonymous.request('/api/sets/sv02?lang=klingon')).status).toBe(400)
  })

  it('counts what the signed-in user owns, and only theirs', async () => {
    const ash = await signUp('ash')
    await ash.api('/api/collection', { method: 'POST', json: { cardId: 'sv02-012', quantity: 2 } })
    await ash.api('/api/collection', { method: 'POST', json: { cardId: 'sv02-012', quantity: 1, condition: 'LP' } })
    await ash.api('/api/collection', { method: 'POST', json: { cardId: 'sv02-013' } })

    const detail = await ash.api('/api/sets/sv02')
    expect(detail.completion).toEqual({ owned: 2, total: 279, percent: 0.7 })
    expect(detail.cards.find((c: { id: string }) => c.id === 'sv02-012').owned).toBe(3)
    expect(detail.cards.find((c: { id: string }) => c.id === 'sv02-014').owned).toBe(0)

    const sets = (await ash.api('/api/sets?serie=sv')).sets
    expect(sets.find((s: { id: string }) => s.id === 'sv02').owned).toBe(2)
    expect(sets.find((s: { id: string }) => s.id === 'sv01').owned).toBe(0)

    expect((await ash.api('/api/cards/sv02-012')).card.owned).toBe(3)

    // Through an API token too; a wrong token is refused rather than treated as anonymous.
    const { token } = await ash.api('/api/tokens', { method: 'POST', json: { name: 'sets' } })
    const bearer = clientFor(ash.user, { authorization: `Bearer ${token.secret}` })
    expect((await bearer.api('/api/sets/sv02')).completion.owned).toBe(2)
    const wrong = clientFor(ash.user, { authorization: 'Bearer pkv_wrong' })
    expect((await wrong.request('/api/sets/sv02')).status).toBe(401)

    const misty = await signUp('misty')
    const hers = await misty.api('/api/sets/sv02')
    expect(hers.completion).toEqual({ owned: 0, total: 279, percent: 0 })
    expect((await misty.api('/api/cards/sv02-012')).card.owned).toBe(0)
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importCatalog } from '../../../server/catalog/import'
import { searchCards } from '../../../server/catalog/search'
import type { CatalogFile } from '../../../server/catalog/source'
import { type DatabaseHandle, openDatabase } from '../../../server/database/connection'
import { migrateToLatest } from '../../../server/database/migrate'

// A small catalogue shaped like TCGdex's, enough to pin the ranking rules.
const set = (id: string, code: string | null, official: number, releaseDate: string) => ({
  id, serieId: 'sv', name: { en: `Set ${id}`, fr: `Extension ${id}` }, official, abbreviation: code,
  abbreviationFr: code ? `${code}F` : null, tcgOnline: null, releaseDate, cards: 0,
})
const card = (setId: string, localId: string, en: string, fr?: string) => ({
  id: `${setId}-${localId}`, setId, localId, name: fr ? { en, fr } : { en }, category: 'Pokemon', hp: 100,
  types: ['Fire'], stage: 'Basic', rarity: 'Common', dexId: null, illustrator: null, regulationMark: null, variants: ['normal'],
})
const catalog: CatalogFile = {
  source: 'test',
  series: [{ id: 'sv', name: { en: 'Scarlet & Violet' } }],
  sets: [set('old1', 'OLD', 102, '1999-01-09'), set('new1', 'NEW', 193, '2023-06-09'), set('tg1', 'NEW:TG', 30, '2022-01-01')],
  cards: [
    card('old1', '4', 'Charizard', 'Dracaufeu'),
    card('old1', '12', 'Charmander', 'Salamèche'),
    card('old1', '58', 'Pikachu', 'Pikachu'),
    card('new1', '006', 'Charizard ex', 'Dracaufeu-ex'),
    card('new1', '012', 'Sprigatito', 'Poussacha'),
    card('new1', '013', 'Floragato', 'Matourgeon'),
    card('new1', '112', 'Dark Charizard'),
    card('tg1', 'TG05', 'Pikachu', 'Pikachu'),
    card('tg1', 'TG12', 'Charmander'),
  ],
}

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await openDatabase({ dataDir: 'memory://' })
  await migrateToLatest(handle.db)
  await importCatalog(handle.db, catalog)
}, 60_000)
afterAll(() => handle?.close())

const ids = async (q: string, trigram?: boolean, extra: object = {}) =>
  (await searchCards(handle.db, { q, ...extra }, { trigram })).items.map(i => i.id)

describe.each([true, false])('searchCards (pg_trgm: %s)', (trigram) => {
  it('ranks the exact name first, then longer names, newest set first', async () => {
    expect(await ids('charizard', trigram)).toEqual(['old1-4', 'new1-006', 'new1-112'])
    expect(await ids('Dracaufeu', trigram)).toEqual(['old1-4', 'new1-006'])
  })

  it('resolves set codes (printed, French, id) with numbers', async () => {
    expect(await ids('NEW 12', trigram)).toEqual(['new1-012'])
    expect(await ids('NEW 012/193', trigram)).toEqual(['new1-012'])
    expect(await ids('NEWF 12', trigram)).toEqual(['new1-012'])
    expect(await ids('new1 12', trigram)).toEqual(['new1-012'])
    expect(await ids('12/193', trigram)).toEqual(['new1-012'])
    // A number without a set: every set's card 12, newest set first, never the TG12.
    expect(await ids('12', trigram)).toEqual(['new1-012', 'old1-12'])
  })

  it('finds local ids and card ids', async () => {
    expect(await ids('TG05', trigram)).toEqual(['tg1-TG05'])
    expect(await ids('tg5', trigram)).toEqual(['tg1-TG05'])
    expect(await ids('Pikachu TG05', trigram)).toEqual(['tg1-TG05'])
    expect(await ids('NEW:TG TG12', trigram)).toEqual(['tg1-TG12'])
    expect(await ids('NEW1-012', trigram)).toEqual(['new1-012'])
  })

  it('falls back to the whole text as a name when the structure finds nothing', async () => {
    // No Pikachu numbered 77: show the Pikachus rather than nothing.
    expect(await ids('Pikachu 77', trigram)).toEqual(['tg1-TG05', 'old1-58'])
    expect(await ids('OLD 4', trigram)).toEqual(['old1-4'])
  })

  it('filters by language and names cards in it', async () => {
    const res = await searchCards(handle.db, { q: 'charizard', lang: 'fr' }, { trigram })
    expect(res.items.map(i => [i.id, i.name])).toEqual([['old1-4', 'Dracaufeu'], ['new1-006', 'Dracaufeu-ex']])
    expect(res.items[0]!.imageUrl).toBe('/api/cards/old1-4/image?lang=fr&size=low')
  })

  it('pages with a stable order and a total', async () => {
    const p1 = await searchCards(handle.db, { pageSize: 4 }, { trigram })
    const p3 = await searchCards(handle.db, { pageSize: 4, page: 3 }, { trigram })
    expect(p1.total).toBe(catalog.cards.length)
    expect(p3.items).toHaveLength(1)
    const past = await searchCards(handle.db, { pageSize: 4, page: 9 }, { trigram })
    expect(past).toMatchObject({ items: [], total: catalog.cards.length })
  })
})

describe('typo tolerance (pg_trgm)', () => {
  it('finds names with a missing or swapped letter, best matches only', async () => {
    // Equally similar: newest set first; Charmander (0.44) is left out.
    expect(await ids('charizrd')).toEqual(['new1-006', 'new1-112', 'old1-4'])
    expect(await ids('pikahcu')).toEqual(['tg1-TG05', 'old1-58'])
    expect(await ids('dracaufeu-x')).toContain('new1-006')
  })

  it('has no typo tolerance without pg_trgm, but still matches every word', async () => {
    expect(await ids('charizrd', false)).toEqual([])
    expect(await ids('dark char', false)).toEqual(['new1-112'])
  })
})

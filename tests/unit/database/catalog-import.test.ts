import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importCatalog } from '../../../server/catalog/import'
import { readCatalogFile } from '../../../server/catalog/source'
import { type DatabaseHandle, openDatabase } from '../../../server/database/connection'
import { migrateToLatest } from '../../../server/database/migrate'

let handle: DatabaseHandle

beforeAll(async () => {
  handle = await openDatabase({ dataDir: 'memory://' })
  await migrateToLatest(handle.db)
}, 60_000)

afterAll(() => handle?.close())

describe('importCatalog', () => {
  it('loads every series, set and card, and a second run changes nothing', async () => {
    const catalog = await readCatalogFile(join(import.meta.dirname, '../../../data/tcgdex-catalog.json.gz'))
    const first = await importCatalog(handle.db, catalog)
    expect(first.cards).toBeGreaterThan(20_000)
    expect(first.changed).toBe(first.series + first.sets + first.cards)

    const second = await importCatalog(handle.db, catalog)
    expect(second.changed).toBe(0)

    const card = await handle.db.selectFrom('cards').selectAll().where('id', '=', 'sv02-012').executeTakeFirstOrThrow()
    expect(card).toMatchObject({ set_id: 'sv02', local_id: '012', number: 12, name_en: 'Sprigatito' })
    expect(card.name).toMatchObject({ fr: 'Poussacha' })
    const set = await handle.db.selectFrom('sets').selectAll().where('id', '=', 'sv02').executeTakeFirstOrThrow()
    expect(set).toMatchObject({ code: 'PAL', printed_total: 193 })
  }, 60_000)

  it('updates a changed card and only that card', async () => {
    const catalog = await readCatalogFile(join(import.meta.dirname, '../../../data/tcgdex-catalog.json.gz'))
    const target = catalog.cards.find(c => c.id === 'sv02-012')!
    target.illustrator = 'Someone Else'
    const result = await importCatalog(handle.db, catalog)
    expect(result.changed).toBe(1)
    const card = await handle.db.selectFrom('cards').select('illustrator').where('id', '=', 'sv02-012').executeTakeFirstOrThrow()
    expect(card.illustrator).toBe('Someone Else')
  }, 60_000)
})

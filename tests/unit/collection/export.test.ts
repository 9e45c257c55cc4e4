import { describe, expect, it } from 'vitest'
import { collectionToCsv, EXPORT_COLUMNS, exportFilename, guardCell } from '../../../server/collection/csv/export'
import { mapCsv } from '../../../server/collection/csv/import'
import type { CollectionItem } from '../../../server/collection/items'

const item: CollectionItem = {
  id: '00000000-0000-4000-8000-000000000001',
  cardId: 'sv02-012',
  card: { id: 'sv02-012', name: 'Sprigatito', names: { en: 'Sprigatito', fr: 'Poussacha' }, setId: 'sv02', setName: 'Paldea Evolved', setCode: 'PAL', localId: '012', printedTotal: 193, rarity: 'Common', imageUrl: null, variants: ['normal', 'reverse'] },
  quantity: 2,
  condition: 'LP',
  language: 'fr',
  finish: 'reverse',
  grader: null,
  grade: null,
  certNumber: null,
  location: '=HYPERLINK("http://evil")',
  notes: 'Bought, "cheap"\nsecond line',
  pricePaid: 1.5,
  pricePaidCurrency: 'EUR',
  acquiredAt: '2024-05-01',
  version: 1,
  sourceDraftId: null,
  createdAt: '2024-05-01T00:00:00.000Z',
  updatedAt: '2024-05-01T00:00:00.000Z',
  price: { currency: 'EUR', unit: 0.31, total: 0.62, fetchedAt: '2026-03-10T06:00:00.000Z' },
}

describe('CSV export', () => {
  it('guards cells that a spreadsheet would run as formulas', () => {
    for (const v of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx']) expect(guardCell(v)).toBe(`'${v}`)
    expect(guardCell('Binder 1')).toBe('Binder 1')
    expect(guardCell(null)).toBe('')
  })

  it('writes our columns, quotes what needs it, and reads back to the same values', () => {
    const csv = collectionToCsv([item])
    expect(csv.startsWith('\uFEFF')).toBe(true)
    const [header, ...rest] = csv.slice(1).split('\r\n')
    expect(header).toBe(EXPORT_COLUMNS.join(','))
    expect(rest.join('\n')).toContain('\'=HYPERLINK(""http://evil"")')
    const { format, lines, errors } = mapCsv(csv)
    expect(format).toBe('pokeventory')
    expect(errors).toEqual([])
    expect(lines[0]).toMatchObject({
      ref: { cardId: 'sv02-012' }, quantity: 2, condition: 'LP', language: 'fr', finish: 'reverse',
      location: item.location, notes: item.notes, pricePaid: 1.5, pricePaidCurrency: 'EUR', acquiredAt: '2024-05-01',
    })
    // The market price at export time is there to read, not imported back.
    expect(rest[0]!.endsWith(',1.50,EUR,2024-05-01,0.31,EUR')).toBe(true)
  })

  it('carries grading and a purchase price with its currency', () => {
    const graded = { ...item, grader: 'PSA', grade: '10', certNumber: '87654321', pricePaid: 250, pricePaidCurrency: 'USD', price: null }
    const { lines } = mapCsv(collectionToCsv([graded]))
    expect(lines[0]).toMatchObject({ grader: 'PSA', grade: '10', certNumber: '87654321', pricePaid: 250, pricePaidCurrency: 'USD' })
  })

  it('names the file after the day', () => {
    expect(exportFilename(new Date('2026-03-04T12:00:00Z'))).toBe('pokeventory-collection-2026-03-04.csv')
  })
})

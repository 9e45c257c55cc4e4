import type { Kysely } from 'kysely'
import Papa from 'papaparse'
import type { CollectionFilter } from '../../../shared/schemas/collection'
import type { Database } from '../../database/schema'
import { getUserCurrency } from '../../prices/currency'
import type { CollectionItem } from '../items'
import { type PricedItemRow, pricedCopies, selectPricedItems, toPricedItem } from '../list'

/**
 * Our CSV columns, in order; csv/formats.ts reads them back by name. `price_paid` is per copy, in
 * `price_paid_currency`; `market_price` (one copy, in `market_currency`, at export time) is for reading
 * only and ignored on import.
 */
export const EXPORT_COLUMNS = [
  'card_id', 'set_id', 'set_code', 'set_name', 'local_id', 'name', 'quantity', 'condition', 'language', 'finish',
  'grader', 'grade', 'cert_number', 'location', 'notes', 'price_paid', 'price_paid_currency', 'acquired_at',
  'market_price', 'market_currency',
] as const

/**
 * CSV/formula injection guard: a spreadsheet runs a cell that starts with = + - @ (or tab / CR) as a
 * formula, so such text cells get a leading apostrophe, which spreadsheets hide and our import removes.
 */
export function guardCell(value: string | null | undefined): string {
  const text = value ?? ''
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

/** The card's columns, `card_id` to `name`, of the collection and want list exports. */
export function cardCells(cardId: string, card: Pick<CollectionItem['card'], 'setId' | 'setCode' | 'setName' | 'localId' | 'names' | 'name'>): string[] {
  return [cardId, card.setId, card.setCode ?? '', guardCell(card.setName), card.localId, guardCell(card.names.en ?? card.name)]
}

export function exportRow(item: CollectionItem): string[] {
  return [
    ...cardCells(item.cardId, item.card),
    String(item.quantity),
    item.condition,
    item.language,
    item.finish,
    guardCell(item.grader),
    guardCell(item.grade),
    guardCell(item.certNumber),
    guardCell(item.location),
    guardCell(item.notes),
    item.pricePaid === null ? '' : item.pricePaid.toFixed(2),
    item.pricePaid === null ? '' : item.pricePaidCurrency ?? '',
    item.acquiredAt ?? '',
    item.price ? item.price.unit.toFixed(2) : '',
    item.price?.currency ?? '',
  ]
}

/** The CSV text (UTF-8 BOM so spreadsheet apps read accents right, CRLF line ends per RFC 4180). */
export function collectionToCsv(items: CollectionItem[]): string {
  return `\uFEFF${Papa.unparse({ fields: [...EXPORT_COLUMNS], data: items.map(exportRow) }, { newline: '\r\n', quotes: false })}\r\n`
}

export function exportFilename(now = new Date()): string {
  return `pokeventory-collection-${now.toISOString().slice(0, 10)}.csv`
}

/** The user's whole collection (or the filtered part) as CSV, in binder order: set, number, kind. */
export async function exportCollection(db: Kysely<Database>, userId: string, filter: Partial<CollectionFilter> = {}): Promise<string> {
  const currency = await getUserCurrency(db, userId)
  const rows = await selectPricedItems(pricedCopies(db, userId, filter, currency))
    .orderBy('s.release_date').orderBy('s.id').orderBy('c.number').orderBy('c.local_id')
    .orderBy('uc.language').orderBy('uc.condition').orderBy('uc.finish').orderBy('uc.id')
    .execute()
  return collectionToCsv(rows.map(r => toPricedItem(r as PricedItemRow, currency)))
}

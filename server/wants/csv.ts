import Papa from 'papaparse'
import type { WantList } from '../../shared/schemas/wants'
import { cardCells, guardCell } from '../collection/csv/export'

export const WANT_COLUMNS = ['card_id', 'set_id', 'set_code', 'set_name', 'local_id', 'name', 'quantity', 'finish', 'note', 'market_price', 'market_currency'] as const

/** The want list as CSV, in the collection export's conventions (BOM, CRLF, formula-looking cells guarded). */
export function wantsToCsv(list: WantList): string {
  const rows = list.items.map(item => [
    ...cardCells(item.cardId, item.card),
    String(item.quantity),
    item.finish ?? '',
    guardCell(item.note),
    item.price ? item.price.unit.toFixed(2) : '',
    item.price?.currency ?? '',
  ])
  return `\uFEFF${Papa.unparse({ fields: [...WANT_COLUMNS], data: rows }, { newline: '\r\n', quotes: false })}\r\n`
}

export const wantsFilename = (now = new Date()) => `pokeventory-wants-${now.toISOString().slice(0, 10)}.csv`

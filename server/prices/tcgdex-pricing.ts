import type { MarketPrice } from '../../shared/schemas/prices'
import { finishesOf } from '../../shared/variants'

/** One market figure set for one variant of a card, ready to store (fetchedAt is the run's). */
export type PriceRow = Omit<MarketPrice, 'fetchedAt'>

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v)

/** A positive, finite amount rounded to cents; anything else (null, 0, "n/a", negative) is no figure. */
function amount(v: unknown): number | null {
  const n = typeof v === 'string' && v.trim() ? Number(v) : v
  return typeof n === 'number' && Number.isFinite(n) && n > 0 && n < 1e9 ? Math.round(n * 100) / 100 : null
}

function timestamp(v: unknown): string | null {
  if (typeof v !== 'string') return null
  const t = Date.parse(v)
  return Number.isNaN(t) ? null : new Date(t).toISOString()
}

function currencyOf(v: unknown, fallback: string): string {
  return typeof v === 'string' && /^[A-Z]{3}$/.test(v) ? v : fallback
}

const hasFigure = (row: PriceRow) => [row.market, row.low, row.mid, row.high, row.avg7, row.avg30].some(v => v !== null)

/**
 * Cardmarket quotes a card's plain product (`avg`, `low`, `trend`, `avg7`, `avg30`) and its foil
 * (`…-holo`). The plain figures are the card's base printing (normal, or the holo of a holo-only card);
 * the foil figures are its reverse holo, or the holo of a card printed plain and holo.
 */
function cardmarketRows(cm: Obj, variants: readonly string[]): PriceRow[] {
  const finishes = finishesOf(variants)
  const base = finishes.includes('normal') ? 'normal' : finishes.includes('holo') ? 'holo' : finishes[0]!
  const foil = base !== 'reverse' && finishes.includes('reverse') ? 'reverse' : base !== 'holo' && finishes.includes('holo') ? 'holo' : null
  const currency = currencyOf(cm.unit, 'EUR')
  const sourceUpdatedAt = timestamp(cm.updated)
  const rowFor = (variant: string, suffix: string): PriceRow => {
    const get = (key: string) => amount(cm[`${key}${suffix}`])
    const trend = get('trend')
    return {
      source: 'cardmarket',
      variant,
      currency,
      // The trend is Cardmarket's own "what it sells for"; the averages stand in when it is missing.
      market: trend ?? get('avg30') ?? get('avg7') ?? get('avg'),
      low: get('low'),
      mid: get('avg'),
      high: null,
      avg7: get('avg7'),
      avg30: get('avg30'),
      sourceUpdatedAt,
    }
  }
  const rows = [rowFor(base, '')]
  if (foil) rows.push(rowFor(foil, '-holo'))
  return rows.filter(hasFigure)
}

/** TCGplayer's printings, first name preferred, onto our finishes ("unlimited" is TCGplayer's plain run beside a 1st edition). */
const TCGPLAYER_PRINTINGS: [string, string[]][] = [
  ['normal', ['normal', 'unlimited']],
  ['holo', ['holofoil', 'unlimited-holofoil']],
  ['reverse', ['reverse-holofoil', 'reverse']],
  ['first-edition', ['1st-edition-holofoil', '1st-edition', '1st-edition-normal']],
]

function tcgplayerRows(tp: Obj): PriceRow[] {
  const currency = currencyOf(tp.unit, 'USD')
  const sourceUpdatedAt = timestamp(tp.updated)
  const rows: PriceRow[] = []
  for (const [variant, keys] of TCGPLAYER_PRINTINGS) {
    const key = keys.find(k => isObj(tp[k]))
    if (!key) continue
    const p = tp[key] as Obj
    const row: PriceRow = {
      source: 'tcgplayer',
      variant,
      currency,
      market: amount(p.marketPrice) ?? amount(p.midPrice),
      low: amount(p.lowPrice),
      mid: amount(p.midPrice),
      high: amount(p.highPrice),
      avg7: null,
      avg30: null,
      sourceUpdatedAt,
    }
    if (hasFigure(row)) rows.push(row)
  }
  return rows
}

/**
 * The rows to store for a TCGdex card's `pricing` object (see TCGdex's card reference: `pricing.cardmarket`
 * in EUR, `pricing.tcgplayer` in USD per printing). Whatever is missing or malformed is simply absent.
 */
export function pricesFromTcgdex(pricing: unknown, variants: readonly string[]): PriceRow[] {
  if (!isObj(pricing)) return []
  return [
    ...(isObj(pricing.cardmarket) ? cardmarketRows(pricing.cardmarket, variants) : []),
    ...(isObj(pricing.tcgplayer) ? tcgplayerRows(pricing.tcgplayer) : []),
  ]
}

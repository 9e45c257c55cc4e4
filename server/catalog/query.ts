import { CATALOG_LANGUAGES, type CatalogLanguage } from '../../shared/schemas/catalog'
import { localizedImagePath } from '../card-images/urls'
import type { LocalizedNames } from '../database/schema'
import { foldText } from './source'

/**
 * What one search box string asks for. Only `cardId` and the number parts are certain; `setCode`
 * is a candidate that the search resolves against the sets table (and folds back into the name
 * when no set has it), because "MEW 151" and "Mew 25" look alike.
 */
export interface ParsedSearchQuery {
  /** The whole query, folded (lower case, no diacritics, single spaces). */
  text: string
  /** Folded name words left after the number, set code and language were taken out. */
  name?: string
  /** Numeric part of the collector number: `012` and `TG05` → 12 and 5. */
  number?: number
  /** Collector number as typed, upper-cased (`012`, `TG05`, `SWSH050`). */
  localId?: string
  /** Letters before the digits of the collector number (`TG`, `SWSH`, `` for `012`). */
  localPrefix?: string
  /** The `193` of `012/193`. */
  printedTotal?: number
  /** A set code or set id typed before the number (`PAL`, `LOR:TG`, `sv02`), upper-cased. */
  setCode?: string
  /** A full card id (`sv02-012`). */
  cardId?: string
  /** The language printed after the set code on non-English cards (`PAL FR 012/193`). */
  language?: CatalogLanguage
}

// `012`, `12a`, `TG05`, `SWSH050`, optionally `/193` or `/TG30`.
const NUMBER_TOKEN = /^([a-z]{0,5})(\d{1,4})([a-z]?)(?:\/([a-z]{0,5})(\d{1,4}))?$/i
// Set ids hold dots and dashes (`swsh12.5`, `tk-xy-n`), codes a colon or ampersand (`LOR:TG`, `N&B`).
const SET_TOKEN = /^[a-z][a-z0-9.&:\-]{0,11}$/i
// Card ids are a set id, a dash and a local id; names with a dash (`Ho-Oh`) have no digit.
const CARD_ID = /^[a-z0-9][a-z0-9.\-]*-[a-z0-9%!?]+$/i

/** A token that can be a set code or set id rather than part of a name. */
export function looksLikeSetToken(token: string): boolean {
  if (!SET_TOKEN.test(token)) return false
  // Plain words of up to 6 letters (`PAL`, `Mew`) or anything with a digit or punctuation (`sv02`, `LOR:TG`).
  return /^[a-z]{2,6}$/i.test(token) || /[\d.&:\-]/.test(token)
}

function isLanguageToken(token: string): token is CatalogLanguage {
  return (CATALOG_LANGUAGES as readonly string[]).includes(token.toLowerCase())
}

/** Collapses spaces and the spaces around a slash (`12 / 193` → `12/193`). */
export function normalizeQuery(q: string): string {
  return q.normalize('NFC').replace(/\s*\/\s*/g, '/').replace(/\s+/g, ' ').trim()
}

export function parseSearchQuery(q: string): ParsedSearchQuery {
  const raw = normalizeQuery(q)
  const text = foldText(raw)
  if (!raw) return { text }

  if (!raw.includes(' ') && CARD_ID.test(raw) && /\d/.test(raw)) return { text, cardId: raw }

  const tokens = raw.split(' ')
  const parsed: ParsedSearchQuery = { text }
  let numberAt = -1
  for (let i = tokens.length - 1; i >= 0; i--) {
    if (NUMBER_TOKEN.test(tokens[i]!)) {
      numberAt = i
      break
    }
  }
  const used = new Set<number>()
  if (numberAt >= 0) {
    const [, prefix, digits, suffix, , total] = tokens[numberAt]!.match(NUMBER_TOKEN)!
    // A lone word of letters and digits with a long prefix (`Porygon2`) is a name, not a number:
    // the regex already caps the prefix at 5 letters.
    used.add(numberAt)
    parsed.localPrefix = prefix!.toUpperCase()
    parsed.number = Number.parseInt(digits!, 10)
    parsed.localId = `${prefix}${digits}${suffix}`.toUpperCase()
    if (total) parsed.printedTotal = Number.parseInt(total, 10)

    let j = numberAt - 1
    if (j >= 1 && isLanguageToken(tokens[j]!) && looksLikeSetToken(tokens[j - 1]!)) {
      parsed.language = tokens[j]!.toLowerCase() as CatalogLanguage
      used.add(j)
      j--
    }
    if (j >= 0 && looksLikeSetToken(tokens[j]!)) {
      parsed.setCode = tokens[j]!.toUpperCase()
      used.add(j)
    }
  }
  const name = foldText(tokens.filter((_, i) => !used.has(i)).join(' ')).trim()
  if (name) parsed.name = name
  return parsed
}

/** Escapes `%`, `_` and `\` for a LIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, m => `\\${m}`)
}

/**
 * The name to show: the asked language, else the language printed on the searched card, else
 * English, else whatever the catalogue has. Returns the language it picked too.
 */
export function pickName(names: Partial<Record<string, string>>, ...preferred: (string | undefined)[]): { name: string, lang: string } {
  for (const lang of [...preferred, 'en']) {
    if (lang && names[lang]) return { name: names[lang]!, lang }
  }
  const first = Object.entries(names).find(([, v]) => !!v)
  return first ? { name: first[1]!, lang: first[0] } : { name: '', lang: 'en' }
}

/** A card's and its set's columns as the collection queries select them (`c.name as names`, `s.name as set_names`). */
export interface CardSummaryRow {
  card_id: string
  names: unknown
  set_id: string
  set_names: unknown
  local_id: string
  printed_total: number | null
}

/**
 * A card as the lists show it: its names (the one in `lang` first, see pickName), its set, and its
 * picture in `lang` when the catalogue has the card in that language, else the English one.
 */
export function cardSummary(row: CardSummaryRow, lang: string | undefined) {
  const names = row.names as LocalizedNames
  return {
    name: pickName(names, lang).name,
    names,
    setId: row.set_id,
    setName: pickName(row.set_names as LocalizedNames, lang).name,
    localId: row.local_id,
    printedTotal: row.printed_total,
    imageUrl: localizedImagePath(row.card_id, names, lang),
  }
}

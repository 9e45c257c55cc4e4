import type { CardLanguage, CollectionAddInput, Condition, Finish } from '../../../shared/schemas/collection'
import { PAID_CURRENCIES } from '../../../shared/schemas/prices'
import { foldText } from '../../catalog/source'

/**
 * The CSV layouts we read, told apart by their headers (never by column order):
 * - `pokeventory`: our own export (`card_id, set_id, …`, see csv/export.ts).
 * - `dragonshield`: Dragon Shield Card Manager (`Folder Name, Quantity, Trade Quantity, Card Name, Set Code,
 *   Set Name, Card Number, Condition, Printing, Language, Price Bought, Date Bought[, LOW, MID, MARKET]`,
 *   often preceded by a `sep=,` line).
 * - `manabox`: ManaBox (`[Binder Name, Binder Type,] Name, Set code, Set name, Collector number, Foil, Rarity,
 *   Quantity, ManaBox ID, Scryfall ID, Purchase price, Misprint, Altered, Condition, Language,
 *   Purchase price currency`).
 * - `tcgplayer`: the TCGplayer app's collection export (`Quantity, Name, Simple Name, Set, Card Number,
 *   Set Code, Printing, Condition, Language, Rarity, Product ID, SKU`).
 * - `tcgplayer-seller`: TCGplayer's seller inventory export (`TCGplayer Id, Product Line, Set Name,
 *   Product Name, Title, Number, Rarity, Condition, …, Total Quantity, Add to Quantity, …`) where the
 *   printing rides on the condition ("Near Mint Reverse Holofoil").
 * - `cardmarket`: Cardmarket's stock export (`cardmarketId, quantity, name, set, setCode, cn, condition,
 *   language, isFoil, isPlayset, isSigned[, isFirstEd, isReverseHolo], price, comment[, location], nameDE,
 *   nameES, nameFR, nameIT, rarity, listedAt`), and its older semicolon one (`idArticle; idProduct; English
 *   Name; Local Name; Exp.; Exp. Name; Price; Language; Condition; Foil?; Signed?; Playset?; …; Amount`,
 *   languages as Cardmarket's numbers). Conditions on Cardmarket's scale: MT, NM, EX, GD, LP, PL, PO.
 */
export const CSV_FORMATS = ['pokeventory', 'dragonshield', 'manabox', 'tcgplayer', 'tcgplayer-seller', 'cardmarket'] as const
export type CsvFormatId = (typeof CSV_FORMATS)[number]

/** What a line tells about which catalogue card it is; the resolver decides (csv/resolve.ts). */
export interface CardRef {
  cardId?: string
  setCode?: string
  setName?: string
  /** As printed: `012/193`, `12`, `SWSH099`, `TG05/TG30`. */
  number?: string
  name?: string
}

/** A line mapped to what `addCardToCollection` takes, the card still to be resolved from `ref`.
 * A quantity of 0 means "not owned" (seller exports list those); the importer skips such lines. */
export type MappedLine = Omit<CollectionAddInput, 'cardId'> & { ref: CardRef }

/** What went wrong on a line, as a code the UI translates (with `params`), next to the English message. */
export type CsvProblemCode =
  | 'unknownCondition' | 'unknownFinish' | 'unknownLanguage' | 'invalidQuantity' | 'invalidPrice' | 'unknownCurrency'
  | 'invalidDate' | 'notPokemon' | 'unknownCardId' | 'unknownSet' | 'cannotTell' | 'severalNumbered' | 'wrongName'
  | 'noNumber' | 'severalNamed' | 'noName' | 'cannotTellInSet' | 'invalidField' | 'finishNotOfCard' | 'tooMany' | 'noCards'
export type ProblemParams = Record<string, string | number>

/** A problem with one line, reported to the user with its line number. */
export class LineProblem extends Error {
  constructor(message: string, readonly code: CsvProblemCode, readonly params: ProblemParams = {}) {
    super(message)
  }
}

/** Header names compared case- and space-insensitively. */
export const headerKey = (h: string) => h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s_]+/g, ' ')

type Row = (...names: string[]) => string

const has = (headers: Set<string>, ...names: string[]) => names.every(n => headers.has(headerKey(n)))

/** The format whose headers these are, or undefined. Most specific markers first. */
export function detectFormat(headers: string[]): CsvFormatId | undefined {
  const set = new Set(headers.map(headerKey))
  if (has(set, 'card_id', 'quantity')) return 'pokeventory'
  if (has(set, 'ManaBox ID') || has(set, 'Name', 'Set code', 'Collector number', 'Foil', 'Quantity')) return 'manabox'
  if (has(set, 'Simple Name') || has(set, 'Name', 'Product ID', 'SKU', 'Quantity')) return 'tcgplayer'
  if (has(set, 'TCGplayer Id', 'Product Name')) return 'tcgplayer-seller'
  if (has(set, 'Card Name', 'Quantity') && (has(set, 'Folder Name') || has(set, 'Trade Quantity') || has(set, 'Printing'))) return 'dragonshield'
  if (has(set, 'cardmarketId', 'quantity') || has(set, 'idProduct', 'Amount') || has(set, 'idArticle', 'Exp. Name')) return 'cardmarket'
  return undefined
}

const squash = (s: string) => foldText(s).replace(/[^a-z0-9]/g, '')

const CONDITION_WORDS: Record<string, Condition> = {
  // Near mint and better.
  gemmint: 'NM', mint: 'NM', mt: 'NM', m: 'NM', nearmint: 'NM', nm: 'NM', nmm: 'NM',
  // The Cardmarket scale (Dragon Shield, ManaBox) has Excellent and Good between NM and Played.
  excellent: 'LP', ex: 'LP', lightlyplayed: 'LP', lightplayed: 'LP', lp: 'LP', slightlyplayed: 'LP', sp: 'LP',
  good: 'MP', gd: 'MP', moderatelyplayed: 'MP', mp: 'MP', played: 'MP', pl: 'MP',
  heavilyplayed: 'HP', heavyplayed: 'HP', hp: 'HP',
  poor: 'DMG', po: 'DMG', damaged: 'DMG', dmg: 'DMG', dm: 'DMG',
}
const CONDITION_PREFIXES = Object.keys(CONDITION_WORDS).filter(k => k.length > 3).sort((a, b) => b.length - a.length)

/** "Near Mint", "NearMint", "near_mint", "NM", "Excellent" … → our scale; empty → NM. */
export function mapCondition(raw: string | undefined): Condition {
  const key = squash(raw ?? '')
  if (!key) return 'NM'
  const condition = CONDITION_WORDS[key]
  if (!condition) throw new LineProblem(`Unknown condition "${raw}"`, 'unknownCondition', { value: raw ?? '' })
  return condition
}

const FINISH_WORDS: Record<string, Finish> = {
  normal: 'normal', nonfoil: 'normal', regular: 'normal', unlimited: 'normal', none: 'normal', no: 'normal', false: 'normal', '0': 'normal', standard: 'normal',
  foil: 'holo', holo: 'holo', holofoil: 'holo', holographic: 'holo', unlimitedholofoil: 'holo', yes: 'holo', true: 'holo', '1': 'holo', etched: 'holo',
  reverse: 'reverse', reverseholo: 'reverse', reverseholofoil: 'reverse', reversefoil: 'reverse',
  firstedition: 'first-edition', '1stedition': 'first-edition', '1steditionholofoil': 'first-edition', '1steditionnormal': 'first-edition', '1stedholo': 'first-edition', firsteditionholofoil: 'first-edition',
  stamped: 'stamped', stamp: 'stamped', prerelease: 'stamped',
  lenticular: 'lenticular', metal: 'metal', other: 'other',
}

/** "Normal", "Foil", "Holofoil", "Reverse Holofoil", "1st Edition" … → our finishes; empty → undefined (the card's plain printing). */
export function mapFinish(raw: string | undefined): Finish | undefined {
  const key = squash(raw ?? '')
  if (!key) return undefined
  const finish = FINISH_WORDS[key]
  if (!finish) throw new LineProblem(`Unknown printing/finish "${raw}"`, 'unknownFinish', { value: raw ?? '' })
  return finish
}

/** TCGplayer seller exports write "Near Mint Reverse Holofoil": a condition, then the printing. */
export function mapConditionWithPrinting(raw: string | undefined): { condition: Condition, finish: Finish } {
  const key = squash(raw ?? '')
  for (const prefix of CONDITION_PREFIXES) {
    if (key.startsWith(prefix)) return { condition: CONDITION_WORDS[prefix]!, finish: mapFinish(key.slice(prefix.length)) ?? 'normal' }
  }
  return { condition: mapCondition(raw), finish: 'normal' }
}

const LANGUAGE_WORDS: Record<string, CardLanguage> = {
  en: 'en', eng: 'en', english: 'en', anglais: 'en', englisch: 'en',
  fr: 'fr', fra: 'fr', fre: 'fr', french: 'fr', francais: 'fr', franzosisch: 'fr',
  de: 'de', deu: 'de', ger: 'de', german: 'de', deutsch: 'de', allemand: 'de',
  es: 'es', spa: 'es', sp: 'es', spanish: 'es', espanol: 'es',
  it: 'it', ita: 'it', italian: 'it', italiano: 'it',
  pt: 'pt', por: 'pt', portuguese: 'pt', portugues: 'pt', ptbr: 'pt', brazilianportuguese: 'pt',
  ja: 'ja', jp: 'ja', jpn: 'ja', japanese: 'ja',
  ko: 'ko', kr: 'ko', kor: 'ko', korean: 'ko',
  zh: 'zh', zhs: 'zh', zht: 'zh', zhcn: 'zh', zhtw: 'zh', cn: 'zh', tw: 'zh', cs: 'zh', ct: 'zh', chinese: 'zh',
  chinesesimplified: 'zh', chinesetraditional: 'zh', simplifiedchinese: 'zh', traditionalchinese: 'zh',
}

/** "English", "EN", "Français", "Japanese", "zhs" … → our language codes; empty → en. */
export function mapLanguage(raw: string | undefined): CardLanguage {
  const key = squash(raw ?? '')
  if (!key) return 'en'
  const language = LANGUAGE_WORDS[key]
  if (!language) throw new LineProblem(`Unknown language "${raw}"`, 'unknownLanguage', { value: raw ?? '' })
  return language
}

/** A whole number of copies; empty counts as 1 for formats where the column may be blank. */
export function parseQuantity(raw: string | undefined, label = 'quantity'): number {
  const text = (raw ?? '').trim()
  if (!/^\d{1,6}$/.test(text)) throw new LineProblem(`Invalid ${label} "${raw ?? ''}" (a whole number ≥ 0)`, 'invalidQuantity', { value: raw ?? '' })
  return Number.parseInt(text, 10)
}

/** "$1.50", "1,50 €", "USD 2" → 1.5, 1.5, 2; empty → null. Thousands separators in "1,234.50" are dropped. */
export function parsePrice(raw: string | undefined): number | null {
  let text = (raw ?? '').trim()
  if (!text) return null
  if (text.startsWith('-')) throw new LineProblem(`Invalid price "${raw}"`, 'invalidPrice', { value: raw ?? '' })
  text = text.replace(/[^\d.,]/g, '')
  if (text.includes(',') && !text.includes('.')) text = text.replace(',', '.')
  else text = text.replace(/,/g, '')
  const value = Number(text)
  if (!text || !Number.isFinite(value)) throw new LineProblem(`Invalid price "${raw}"`, 'invalidPrice', { value: raw ?? '' })
  return value
}

export type PaidCurrency = (typeof PAID_CURRENCIES)[number]

const CURRENCY_WORDS: Record<string, PaidCurrency> = {
  '€': 'EUR', 'euro': 'EUR', 'euros': 'EUR', '$': 'USD', 'us$': 'USD', 'dollar': 'USD', 'dollars': 'USD', '£': 'GBP', 'pound': 'GBP',
  'c$': 'CAD', 'ca$': 'CAD', 'a$': 'AUD', 'au$': 'AUD', '¥': 'JPY', 'yen': 'JPY', 'fr.': 'CHF',
  ...Object.fromEntries(PAID_CURRENCIES.map(c => [c.toLowerCase(), c])),
}

/** "EUR", "usd", "€", "Euro" → a currency code; empty → null. */
export function parseCurrency(raw: string | undefined): PaidCurrency | null {
  const key = (raw ?? '').trim().toLowerCase()
  if (!key) return null
  const currency = CURRENCY_WORDS[key]
  if (!currency) throw new LineProblem(`Unknown currency "${raw}" (use ${PAID_CURRENCIES.join(', ')})`, 'unknownCurrency', { value: raw ?? '', allowed: PAID_CURRENCIES.join(', ') })
  return currency
}

/** The currency a price cell is written in: "$1.50" → USD, "1,50 €" → EUR, "CAD 3" → CAD, "2" → null. */
export function currencyOfPrice(raw: string | undefined): PaidCurrency | null {
  const text = (raw ?? '').trim().toLowerCase()
  const code = text.match(/[a-z]{3}/)?.[0]
  if (code && CURRENCY_WORDS[code]) return CURRENCY_WORDS[code]!
  const symbol = text.match(/[a-z]{0,2}[$€£¥]/)?.[0]
  return symbol ? CURRENCY_WORDS[symbol] ?? CURRENCY_WORDS[symbol.slice(-1)] ?? null : null
}

function isoDate(y: number, m: number, d: number, raw: string): string {
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    throw new LineProblem(`Invalid date "${raw}"`, 'invalidDate', { value: raw })
  }
  return date.toISOString().slice(0, 10)
}

/**
 * "2024-03-01", "2024-03-01T10:00:00Z", "2024/03/01" (ISO), "01.03.2024" (day first, European dots),
 * "3/1/2024" (month first, US slashes) → "2024-03-01"; empty → null.
 */
export function parseDate(raw: string | undefined): string | null {
  const text = (raw ?? '').trim()
  if (!text) return null
  let m = text.match(/^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ].*)?$/)
  if (m) return isoDate(+m[1]!, +m[2]!, +m[3]!, text)
  m = text.match(/^(\d{1,2})\.(\d{1,2})\.(\d{4})$/)
  if (m) return isoDate(+m[3]!, +m[2]!, +m[1]!, text)
  m = text.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: .*)?$/)
  if (m) return isoDate(+m[3]!, +m[1]!, +m[2]!, text)
  throw new LineProblem(`Unrecognised date "${raw}" (use YYYY-MM-DD)`, 'invalidDate', { value: raw ?? '' })
}

const text = (v: string | undefined) => (v ?? '').trim() || null
const opt = (v: string | undefined) => (v ?? '').trim() || undefined

/** Our export guards cells against formula injection with a leading apostrophe; take it off again. */
export const unguardCell = (v: string) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v)

/** "Charizard - 4/102", "Pikachu (Secret)" → "Charizard", "Pikachu": TCGplayer decorates names. */
export const plainName = (name: string) => name.replace(/\s+-\s+[\w.]+(?:\/[\w.]+)?\s*$/, '').replace(/\s*\([^)]*\)\s*$/, '').trim()

/**
 * Cardmarket's seven grades on our five: the usual equivalence (Mint and Near Mint are near mint,
 * Excellent is lightly played, Good and Light Played are moderately played, Played is heavily played,
 * Poor is damaged). Its export writes the codes or the words (`near_mint`).
 */
const CARDMARKET_CONDITIONS: Record<string, Condition> = {
  mt: 'NM', mint: 'NM', nm: 'NM', nearmint: 'NM', ex: 'LP', excellent: 'LP', gd: 'MP', good: 'MP',
  lp: 'MP', lightplayed: 'MP', lightlyplayed: 'MP', pl: 'HP', played: 'HP', po: 'DMG', poor: 'DMG',
}

/** A Cardmarket condition (MT, NM, EX, GD, LP, PL, PO) → our scale; empty → NM. */
export function mapCardmarketCondition(raw: string | undefined): Condition {
  const key = squash(raw ?? '')
  if (!key) return 'NM'
  const condition = CARDMARKET_CONDITIONS[key]
  if (!condition) throw new LineProblem(`Unknown Cardmarket condition "${raw}" (MT, NM, EX, GD, LP, PL or PO)`, 'unknownCondition', { value: raw ?? '' })
  return condition
}

/** Cardmarket's language numbers (its older export): 1 English, 2 French, 3 German, 4 Spanish, 5 Italian, 6 Chinese, 7 Japanese, 8 Portuguese, 10 Korean, 11 Chinese. */
const CARDMARKET_LANGUAGES: Record<string, CardLanguage> = { 1: 'en', 2: 'fr', 3: 'de', 4: 'es', 5: 'it', 6: 'zh', 7: 'ja', 8: 'pt', 10: 'ko', 11: 'zh' }
const cardmarketLanguage = (raw: string) => CARDMARKET_LANGUAGES[raw.trim()] ?? mapLanguage(raw)

/** Cardmarket's flags: `1`, `true`, `X` (older export) are set; empty or `0`/`false` are not. */
const flag = (raw: string) => /^(1|true|x|yes)$/i.test(raw.trim())

/** What a format has no column for: no grading, place, notes, price or date. */
const NO_DETAILS = { grader: null, grade: null, certNumber: null, location: null, notes: null, pricePaid: null, pricePaidCurrency: null, acquiredAt: null } as const

/**
 * Grading, when an export carries it under a usual name (none of the apps' documented layouts do;
 * users add these columns to their sheets).
 */
function gradingColumns(get: Row) {
  return {
    grader: text(get('Grading Company', 'Grader', 'Graded By')),
    grade: text(get('Grade')),
    certNumber: text(get('Cert Number', 'Certificate Number', 'Certification Number', 'Cert')),
  }
}

/** A purchase price and its currency: the currency column when there is one, else the price's own symbol. */
function priceColumns(get: Row, price: string, currency?: string) {
  const raw = get(price)
  return { pricePaid: parsePrice(raw), pricePaidCurrency: (currency && parseCurrency(get(currency))) || currencyOfPrice(raw) }
}

/** The columns the collection apps share: `Quantity`, `Condition`, `Language`, and the printing's own name. */
function copyColumns(get: Row, printing: string) {
  return {
    quantity: parseQuantity(get('Quantity')),
    condition: mapCondition(get('Condition')),
    language: mapLanguage(get('Language')),
    finish: mapFinish(get(printing)),
  }
}

const MAPPERS: Record<CsvFormatId, (get: Row) => MappedLine> = {
  pokeventory: (raw) => {
    const get: Row = (...n) => unguardCell(raw(...n))
    return {
      ref: { cardId: opt(get('card_id')), setCode: opt(get('set_id')) ?? opt(get('set_code')), setName: opt(get('set_name')), number: opt(get('local_id')), name: opt(get('name')) },
      ...copyColumns(get, 'finish'),
      grader: text(get('grader')),
      grade: text(get('grade')),
      certNumber: text(get('cert_number')),
      location: text(get('location')),
      notes: text(get('notes')),
      ...priceColumns(get, 'price_paid', 'price_paid_currency'),
      acquiredAt: parseDate(get('acquired_at')),
    }
  },
  dragonshield: get => ({
    ref: { setCode: opt(get('Set Code')), setName: opt(get('Set Name')), number: opt(get('Card Number')), name: opt(get('Card Name')) },
    ...copyColumns(get, 'Printing'),
    ...NO_DETAILS,
    ...gradingColumns(get),
    location: text(get('Folder Name')),
    ...priceColumns(get, 'Price Bought'),
    acquiredAt: parseDate(get('Date Bought')),
  }),
  manabox: get => ({
    ref: { setCode: opt(get('Set code')), setName: opt(get('Set name')), number: opt(get('Collector number')), name: opt(get('Name')) },
    ...copyColumns(get, 'Foil'),
    ...NO_DETAILS,
    ...gradingColumns(get),
    location: text(get('Binder Name')),
    ...priceColumns(get, 'Purchase price', 'Purchase price currency'),
  }),
  tcgplayer: get => ({
    ref: {
      setCode: opt(get('Set Code')),
      setName: opt(get('Set')),
      number: opt(get('Card Number')),
      name: opt(get('Simple Name')) ?? (get('Name') ? plainName(get('Name')) : undefined),
    },
    ...copyColumns(get, 'Printing'),
    ...NO_DETAILS,
    ...gradingColumns(get),
  }),
  'tcgplayer-seller': (get) => {
    const line = get('Product Line').trim()
    if (line && squash(line) !== 'pokemon') throw new LineProblem(`Not a Pokémon card (product line "${line}")`, 'notPokemon', { value: line })
    const total = parseQuantity(get('Total Quantity') || '0', 'total quantity')
    const { condition, finish } = mapConditionWithPrinting(get('Condition'))
    return {
      ref: { setName: opt(get('Set Name')), number: opt(get('Number')), name: get('Product Name') ? plainName(get('Product Name')) : undefined },
      quantity: total || parseQuantity(get('Add to Quantity') || '0', 'add to quantity'),
      condition,
      language: 'en',
      finish,
      ...NO_DETAILS,
    }
  },
  cardmarket: (get) => {
    // A playset is four copies sold as one article.
    const quantity = parseQuantity(get('quantity', 'Amount')) * (flag(get('isPlayset', 'Playset?')) ? 4 : 1)
    const finish: Finish | undefined = flag(get('isFirstEd', 'First Ed?')) ? 'first-edition'
      : flag(get('isReverseHolo', 'Reverse Holo?')) ? 'reverse'
        : flag(get('isFoil', 'Foil?')) ? 'holo' : undefined
    return {
      ref: { setCode: opt(get('setCode', 'Exp.')), setName: opt(get('set', 'Exp. Name')), number: opt(get('cn')), name: opt(get('name', 'English Name')) },
      quantity,
      condition: mapCardmarketCondition(get('condition', 'Condition')),
      language: cardmarketLanguage(get('language', 'Language')),
      finish,
      ...NO_DETAILS,
      // The price is what the card is listed for, not what it cost: left out.
      location: text(get('location')),
      notes: text(get('comment', 'Comments')),
    }
  },
}

/** Maps one CSV record (header → cell) of a known format; throws LineProblem for a bad cell. */
export function mapRow(format: CsvFormatId, record: Record<string, string>): MappedLine {
  const get: Row = (...names) => {
    for (const n of names) {
      const v = record[headerKey(n)]
      if (v !== undefined) return v
    }
    return ''
  }
  return MAPPERS[format](get)
}

/**
 * Parsers for what OCR reads off a card: the collector number (`012/193`, `TG05/TG30`, `SV049`,
 * `BW92`, legacy `58/102`), the printed set code with its language tag (`PAL EN`, `TEF FR`) and
 * the HP (`HP 150`, French `80 PV`). OCR confuses letters and digits (O/0, l/1, S/5, B/8), so the
 * digit positions are repaired before matching — never the letter prefixes, where `S` or `B` are real.
 */
import { foldText } from '../catalog/source'
import type { TextLine } from './reader'
import type { CardReading } from './types'

export interface CardNumber {
  /** As printed, repaired: `012`, `TG05`, `SWSH050`. */
  number: string
  /** Letter prefix of the number (`TG`, `SWSH`, `` for plain numbers). */
  prefix: string
  /** Numeric value of the number, `012` → 12. */
  value: number
  /** The `/193` part, when printed. */
  printedTotal: number | null
  /** Letter prefix of the total (`TG30` → `TG`). */
  totalPrefix: string
  /** Where it was found in the text, for callers grouping readings per line. */
  index: number
  /** A repaired reading of damaged text (lost slash, padded total): weaker evidence. */
  loose?: boolean
}

const DIGIT_LIKE: Record<string, string> = {
  O: '0', o: '0', D: '0', Q: '0', U: '0', '°': '0',
  I: '1', l: '1', i: '1', '|': '1', '!': '1', ']': '1', '[': '1', J: '1',
  S: '5', s: '5', $: '5',
  B: '8', '&': '8',
  Z: '2', z: '2',
  G: '6', b: '6',
  q: '9', g: '9',
  A: '4', T: '7',
}

/** Repairs a token that must be digits; null when something is left that is no digit. */
export function repairDigits(token: string): string | null {
  let out = ''
  for (const ch of token) {
    if (ch >= '0' && ch <= '9') out += ch
    else if (DIGIT_LIKE[ch]) out += DIGIT_LIKE[ch]
    else return null
  }
  return out
}

/** Digit-like characters OCR produces (used inside the number patterns). */
const D = '[0-9OoDQIl|!\\]SsBZzGbqg]'
/** A separator between number and total: `/`, or what OCR makes of it. */
const SLASH = '\\s?[/\\\\⁄∕]\\s?'
const SUBSET_PREFIX = 'TG|GG|SV|RC|SL|SH|H'

const SLASH_NUMBER = new RegExp(
  `(${SUBSET_PREFIX})?(${D}{1,4})${SLASH}(${SUBSET_PREFIX})?(${D}{1,4})`,
  'g',
)
/** Secret rares run past a set's printed total, rarely this many times over it. */
const MAX_OVER_TOTAL = 1.6
/** What follows the copyright line's year. */
const RIGHTS_HOLDER = /^\s*[.,:;]?\s*(?:Pok|POK|Nin|NIN|Wiz|WIZ)/
/** A year as the copyright line prints it (1995–2039): never a glued number. */
const COPYRIGHT_YEAR = /^(?:199[5-9]|20[0-3]\d)$/
const SLASH_AS_DIGIT = /(?<![0-9])([0-9]{3}) ?[714]([0-9]{3})/g
/** The slash lost, or read as a mark (`066 167`, `045.167`, `079,167`). */
const SLASH_AS_MARK = /(?<![0-9/.,])([0-9]{2,3})[ .,]([0-9]{2,3})(?![0-9/.,])/g
/** A short run of digits and letters OCR makes of digits, with a digit in it (`2OS` for `205`). */
const DIGITISH_RUN = new RegExp(`(?<![A-Za-z0-9])(?=${D}*[0-9])${D}{3,4}(?![A-Za-z0-9])`, 'g')
/** A run of digits where the slash was lost (`104189` for `104/189`). */
const GLUED_NUMBER = /(?<![0-9/])([0-9OoQ]?[0-9]{4,6})(?![0-9/])/g

/** The language tags printed after a set code (`PAL EN`). */
const LANG_TAGS = ['EN', 'FR', 'DE', 'IT', 'ES', 'PT']
/** Promo and gallery numbers printed without a total: `SWSH050`, `SV049`, `BW92`, `XY123`, `SM60`. */
const PROMO_NUMBER = /(?<![A-Za-z0-9])(SWSH|HGSS|SVP|SV|SM|XY|BW|DP|MEP)\s?([0-9OoIl]{2,3})(?![0-9/])/g
/** A number printed after the set code with no total: the basic energies of `SVE EN 007`. */
const CODE_NUMBER = new RegExp(`(?<![A-Za-z])[A-Z]{3}\\s?(?:${LANG_TAGS.join('|')})\\s{0,2}([0-9OoIl]{3})(?!\\s?[0-9/\\\\.,])`, 'g')

function toCardNumber(prefix: string, rawNumber: string, total: number | null, totalPrefix: string, index: number): CardNumber | null {
  const digits = repairDigits(rawNumber)
  if (!digits) return null
  const value = Number.parseInt(digits, 10)
  if (!Number.isFinite(value)) return null
  return { number: `${prefix}${digits}`, prefix, value, printedTotal: total, totalPrefix, index }
}

/**
 * Whether number and total are padded as cards print them: both with leading zeros to the same
 * width (`001/091`, `012/193`), or neither (`8/102`). Other shapes (`8/010`, `01/271`) come from
 * upside-down digits or a digit lost, and prove nothing.
 */
export function paddedAlike(rawNumber: string, rawTotal: string): boolean {
  const padded = (raw: string) => repairDigits(raw)?.startsWith('0') ?? false
  return (!padded(rawNumber) && !padded(rawTotal)) || rawNumber.length === rawTotal.length
}

/** Readings of a total OCR may have padded with the rarity mark (`1470` for `147 ●`). */
function totalReadings(raw: string): number[] {
  const digits = repairDigits(raw)
  if (!digits) return []
  const out: number[] = []
  const addTotal = (d: string) => {
    const n = Number.parseInt(d, 10)
    if (n > 0 && n <= 400 && !out.includes(n)) out.push(n)
  }
  if (digits.length <= 3) addTotal(digits)
  else {
    addTotal(digits.slice(0, 3))
    for (let i = 0; i < digits.length; i++) addTotal(digits.slice(0, i) + digits.slice(i + 1))
  }
  return out
}

/**
 * Every collector number in a piece of OCR text, most specific first (with a total before
 * without). Totals of 0 or an implausible size are dropped. With `knownTotals` (the catalogue's
 * printed totals), damaged readings are also tried: a total padded by the rarity mark, a lost
 * slash (`104189`); those come after the clean ones, marked `loose`.
 */
export function parseCardNumbers(text: string, knownTotals?: ReadonlySet<number>): CardNumber[] {
  const found: CardNumber[] = []
  const loose: CardNumber[] = []
  const normalized = text.replace(/[‐‑–—]/g, '-')
  const plausible = (total: number) => !knownTotals || knownTotals.has(total)
  for (const m of normalized.matchAll(SLASH_NUMBER)) {
    const [, prefix = '', rawNum, totalPrefix = '', totalRaw] = m
    // Pure letters read as digits (`Il/SO`) are noise, not a number.
    if (!/[0-9]/.test(rawNum!) && !/[0-9]/.test(totalRaw!)) continue
    // Junk glued before the number (`F1Q033`): the last three characters are the number.
    const num = rawNum!.length > 3 ? rawNum!.slice(-3) : rawNum!
    const totals = totalReadings(totalRaw!)
    totals.forEach((total, i) => {
      const parsed = toCardNumber(prefix, num, total, totalPrefix, m.index!)
      if (!parsed || parsed.value <= 0) return
      // An italic 1 read as a 7 (`748/131` for `148/131`): few sets print that far past their total.
      if (knownTotals && !prefix && /^7\d\d$/.test(parsed.number) && parsed.value > total * MAX_OVER_TOTAL && plausible(total)) {
        loose.push({ ...parsed, number: `1${parsed.number.slice(1)}`, value: parsed.value - 600, loose: true })
      }
      if (parsed.value > 500) return
      const clean = i === 0 && totalRaw!.length <= 3 && rawNum!.length <= 3 && paddedAlike(num, totalRaw!)
      if (clean) found.push(parsed)
      else if (plausible(total)) loose.push({ ...parsed, loose: true })
    })
  }
  if (knownTotals) {
    for (const m of normalized.matchAll(GLUED_NUMBER)) {
      // The copyright line's year (`©2024 Pokémon`, `O2024 Pokemon`) is no number with a lost slash.
      if (COPYRIGHT_YEAR.test(m[1]!) || RIGHTS_HOLDER.test(normalized.slice(m.index! + m[0].length))) continue
      // A leading zero of a three-digit number (`0217203` for `0217/203`... `217/203`).
      const digits = repairDigits(m[1]!)!.replace(/^0(?=\d{5,})/, '')
      for (let cut = 1; cut < digits.length; cut++) {
        const total = Number.parseInt(digits.slice(cut), 10)
        const head = digits.slice(0, cut)
        const value = Number.parseInt(head, 10)
        if (digits.length - cut > 3 || head.length > 3 || !(value > 0) || !knownTotals.has(total)) continue
        if (value > total * MAX_OVER_TOTAL) continue
        loose.push({ number: head, prefix: '', value, printedTotal: total, totalPrefix: '', index: m.index!, loose: true })
      }
    }
    // The slash read as a 7, a 1 or a 4 (`0667167108` for `066/167 ●`, `208 4197` for `208/197`):
    // three digits, the slash, the total; or lost, or read as a mark.
    // Their digits may be misread as letters too (`2OS 4197`): repaired in place first.
    const digitish = normalized.replace(DIGITISH_RUN, run => repairDigits(run) ?? run)
    for (const m of [...digitish.matchAll(SLASH_AS_DIGIT), ...digitish.matchAll(SLASH_AS_MARK)]) {
      const total = Number.parseInt(m[2]!, 10)
      const value = Number.parseInt(m[1]!, 10)
      if (!knownTotals.has(total) || !(value > 0) || value > total * MAX_OVER_TOTAL) continue
      if (found.some(f => f.value === value && f.printedTotal === total)) continue
      loose.push({ number: m[1]!, prefix: '', value, printedTotal: total, totalPrefix: '', index: m.index!, loose: true })
    }
  }
  for (const m of normalized.matchAll(PROMO_NUMBER)) {
    const parsed = toCardNumber(m[1]!, m[2]!, null, '', m.index!)
    if (parsed && parsed.value > 0 && !found.some(f => Math.abs(f.index - parsed.index) < 3)) found.push(parsed)
  }
  for (const m of normalized.matchAll(CODE_NUMBER)) {
    const parsed = toCardNumber('', m[1]!, null, '', m.index! + m[0].length - m[1]!.length)
    if (parsed && parsed.value > 0) found.push(parsed)
  }
  return [...found, ...loose]
}

/** The rarity mark printed after the number: a circle, a diamond or a star. */
export type RarityMark = 'common' | 'uncommon' | 'rare'

/** What OCR makes of each mark, read just after a number's total (`143/167 +`, `010/167 @`). */
const RARITY_MARK = /[0-9]\s?\/\s?[0-9]{2,3}\s?([@®©●•+◆♦*★☆])/

export function parseRarityMark(text: string): RarityMark | null {
  const mark = text.match(RARITY_MARK)?.[1]
  if (!mark) return null
  return '+◆♦'.includes(mark) ? 'uncommon' : '*★☆'.includes(mark) ? 'rare' : 'common'
}

/** The first (most specific) collector number in the text, or null. */
export function parseCardNumber(text: string, knownTotals?: ReadonlySet<number>): CardNumber | null {
  const all = parseCardNumbers(text, knownTotals)
  return all.find(n => n.printedTotal !== null) ?? all[0] ?? null
}

export interface SetCodeReading {
  code: string
  lang: string | null
}

/** OCR misreadings of the language tag that are unambiguous. */
const LANG_FIX: Record<string, string> = { EM: 'EN', FN: 'EN', FP: 'FR', DF: 'DE' }
const SET_CODE = new RegExp(`(?<![A-Za-z])([A-Z0-9]{3})\\s?(${[...LANG_TAGS, ...Object.keys(LANG_FIX)].join('|')})(?![A-Za-z])`, 'g')

/**
 * A known code in a number row as PP-OCR glues it: after a stray regulation mark, before a
 * misread tag, against the digits (`HTWMEN122/167`, `TWMIN 096/167`, `TWMW101/167`).
 */
const GLUED_CODE = /(?<![A-Za-z])[A-Z]?([A-Z0158]{3})([A-Z]{0,2})\s?(?=[0-9OoDQ]{2,3}\s?\/)/g

/**
 * The printed set code and language tag (`PAL EN`, `TEF FR`). With `knownCodes`, only codes the
 * catalogue has are accepted (with O/0 and I/1 repaired, since codes are letters), and a known
 * code glued to a number row's digits is found too (its tag then unread).
 */
export function parseSetCode(text: string, knownCodes?: ReadonlySet<string>): SetCodeReading | null {
  return strictSetCode(text, knownCodes) ?? (knownCodes ? gluedSetCode(text, knownCodes) : null)
}

function gluedSetCode(text: string, knownCodes: ReadonlySet<string>): SetCodeReading | null {
  for (const m of text.matchAll(GLUED_CODE)) {
    // With or without a stray letter before the code (`HTWMEN`, `TWMIN`).
    const letters = m[0].replace(/\s/g, '')
    for (const at of [letters.length - m[2]!.length - 3, 0]) {
      const code = asLetters(letters.slice(at, at + 3))
      if (!knownCodes.has(code)) continue
      const tag = letters.slice(at + 3)
      const lang = LANG_FIX[tag] ?? tag
      return { code, lang: LANG_TAGS.includes(lang) ? lang.toLowerCase() : null }
    }
  }
  return null
}

/** A code read with digits for its letters (`0BF`, `5VI`): codes are letters. */
const asLetters = (code: string) => code.replace(/0/g, 'O').replace(/1/g, 'I').replace(/5/g, 'S').replace(/8/g, 'B')

function strictSetCode(text: string, knownCodes?: ReadonlySet<string>): SetCodeReading | null {
  for (const m of text.matchAll(SET_CODE)) {
    const code = asLetters(m[1]!)
    if (!/^[A-Z]{3}$/.test(code)) continue
    if (knownCodes && !knownCodes.has(code)) continue
    const tag = LANG_FIX[m[2]!] ?? m[2]!
    return { code, lang: LANG_TAGS.includes(tag) ? tag.toLowerCase() : null }
  }
  return null
}

export interface HpReading {
  hp: number
  /** `PV` is French, `KP` German, `PS` Italian/Spanish/Portuguese; `HP` English. */
  lang: string | null
}

const HP_LANG: Record<string, string> = { HP: 'en', PV: 'fr', KP: 'de', PS: 'it' }
const HP_BEFORE = /(?<![A-Za-z])(HP|PV|KP|PS|H P|P V)\s?([0-9OoIlS]{2,3})(?![0-9])/g
const HP_AFTER = /(?<![0-9])([0-9OoIlS]{2,3})\s?(HP|PV|KP|PS)(?![A-Za-z])/g

function plausibleHp(raw: string): number | null {
  const digits = repairDigits(raw)
  if (!digits) return null
  const hp = Number.parseInt(digits, 10)
  // Every printed HP is a multiple of 10 between 10 and 400.
  return hp >= 10 && hp <= 400 && hp % 10 === 0 ? hp : null
}

/** The HP in the name band: `HP 150`, `HP150`, `80 PV`, `PV 80`. */
export function parseHp(text: string): HpReading | null {
  for (const m of text.matchAll(HP_BEFORE)) {
    const hp = plausibleHp(m[2]!)
    if (hp) return { hp, lang: HP_LANG[m[1]!.replace(' ', '')] ?? null }
  }
  for (const m of text.matchAll(HP_AFTER)) {
    const hp = plausibleHp(m[1]!)
    if (hp) return { hp, lang: HP_LANG[m[2]!] ?? null }
  }
  return null
}

/** Normalised key of a collector number for look-ups: `012` → `12`, `TG05` → `TG5`, `swsh050` → `SWSH50`. */
export function numberKey(localId: string): string {
  const m = localId.toUpperCase().match(/^([A-Z]*)0*(\d+)([A-Z]?)$/)
  if (!m) return localId.toUpperCase()
  return `${m[1]}${m[2]}${m[3]}`
}

/** `Illus. Kouki Saitou` as OCR reads it (`lllus.`, `llus`, `Hus.`): the name after the label. */
const ILLUSTRATOR = /(?:^|[^A-Za-z])(?:[IlL1|]?l?lus|Ilus|Hus|hs)(?:\s*[.:,]\s*|\s+)([A-Za-z0-9][A-Za-z0-9 .&'’-]{2,40})/

/** The illustrator's name printed at the bottom of a card, or null. */
export function parseIllustrator(text: string): string | null {
  for (const line of text.split('\n')) {
    const m = line.match(ILLUSTRATOR)
    const name = m?.[1]?.replace(/[\s.]+$/, '').trim()
    if (name && name.replace(/[^A-Za-z]/g, '').length >= 3) return name
  }
  return null
}

/**
 * The copyright line's year (`©2020 Pokémon / Nintendo…`, `©2009-2010 Pokémon`, `©1999 Wizards`):
 * the last year before the rights holder, however OCR read the `©` (`162013 Pokémon`).
 */
const COPYRIGHT = /((?:19|20)\d{2})\s*(?:[.,:;]\s*)?(?=(?:Pok|POK|Nin|NIN|Wiz|WIZ))/

export function parseCopyrightYear(text: string): number | null {
  for (const line of text.split('\n')) {
    const m = line.match(COPYRIGHT)
    if (m) return Number(m[1])
  }
  return null
}

// ── From the lines of a card or a photo to what the ranking needs ─────────────────────────────

/** One row of text: the lines on one baseline, joined left to right, in the pixels of the text's way up. */
export interface TextRow {
  text: string
  x0: number
  y0: number
  x1: number
  y1: number
  /** Height of its letters. */
  height: number
  /** Its middle in the pixels of the lines given (x0…y1 are in the frame of the lines' slant). */
  centre: [number, number]
}

/**
 * Icons PP-OCR reads as Chinese characters (`食`, `中`, `水`) and other non-Latin runs: no part of
 * a card printed in a Latin alphabet. Replaced by a space so that they split what they glued.
 */
const NOT_LATIN = /[^\p{Script=Latin}\p{N}\p{P}\p{Zs}\p{Sm}\p{Sc}©®★☆●◆♦•♀♂]+/gu
export const latinText = (text: string) => text.replace(NOT_LATIN, ' ').replace(/\s+/g, ' ').trim()

/**
 * Words every card of a language prints (weakness and retreat rows, stage, trainer labels):
 * which of them were read tells the card's language.
 */
const PRINTED_WORDS: Record<string, string[]> = {
  en: ['weakness', 'retreat', 'basic', 'stage', 'evolves', 'ability', 'item', 'stadium'],
  fr: ['faiblesse', 'retraite', 'base', 'niveau', 'evolue', 'dresseur', 'talent', 'objet', 'stade', 'outil'],
  de: ['schwache', 'resistenz', 'ruckzugskosten', 'basis', 'phase', 'entwickelt', 'fahigkeit'],
}

/** The language most of the card's own printed words are in, when they agree (null otherwise). */
export function printedLanguage(text: string): string | null {
  const words = new Set(foldText(text).split(/[^a-z]+/))
  const hits = Object.entries(PRINTED_WORDS).map(([lang, list]) => ({ lang, n: list.filter(w => words.has(w)).length }))
    .sort((a, b) => b.n - a.n)
  return hits[0]!.n > 0 && hits[0]!.n > hits[1]!.n ? hits[0]!.lang : null
}

/** Characters of scripts the catalogue has no card in (a Japanese or Korean print). */
const FOREIGN = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu

/**
 * The lines that run left to right (within 45°), grouped into rows in the frame of their median
 * angle (a slanted card's rows stay rows): a line joins a row when their middles are within half a
 * letter height and the gap between them is under three heights (the detector splits `TWM EN`
 * from `010/167`). Row coordinates are in that frame.
 */
export function textRows(lines: TextLine[]): TextRow[] {
  const across = lines.filter(l => l.text && (l.angle < 45 || l.angle > 315))
  const signed = across.map(l => (l.angle > 180 ? l.angle - 360 : l.angle)).sort((a, b) => a - b)
  const slant = ((signed[Math.floor(signed.length / 2)] ?? 0) * Math.PI) / 180
  const cos = Math.cos(slant), sin = Math.sin(slant)
  const parts = across
    .map((l) => {
      // Turned back by the slant, about the origin.
      const xs = l.box.map(([x, y]) => x * cos + y * sin), ys = l.box.map(([x, y]) => -x * sin + y * cos)
      return { text: latinText(l.text), x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys), height: l.height, centre: [0, 0] as [number, number] }
    })
    .filter(l => l.text)
    .sort((a, b) => a.x0 - b.x0)
  const rows: TextRow[] = []
  for (const l of parts) {
    const mid = (l.y0 + l.y1) / 2
    const row = rows.find(r => Math.abs((r.y0 + r.y1) / 2 - mid) < Math.min(r.height, l.height) / 2
      && l.x0 - r.x1 < 3 * Math.max(r.height, l.height) && l.x0 >= r.x0)
    if (!row) {
      rows.push({ ...l })
      continue
    }
    row.text += ` ${l.text}`
    row.x1 = Math.max(row.x1, l.x1)
    row.y0 = Math.min(row.y0, l.y0)
    row.y1 = Math.max(row.y1, l.y1)
    row.height = Math.max(row.height, l.height)
  }
  for (const r of rows) {
    const x = (r.x0 + r.x1) / 2, y = (r.y0 + r.y1) / 2
    r.centre = [x * cos - y * sin, x * sin + y * cos]
  }
  return rows.sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0)
}

/** What the catalogue prints, to validate readings: set codes and printed totals. */
export interface KnownValues {
  setCodes: ReadonlySet<string>
  totals: ReadonlySet<number>
}

/** Words of the name row that are never (part of) a card name. */
const NOT_NAME = new Set([
  'hp', 'pv', 'kp', 'ps', 'stage', 'basic', 'base', 'de', 'niveau', 'trainer', 'dresseur', 'item', 'objet',
  'supporter', 'stadium', 'stade', 'outil', 'tool', 'pokemon', 'evolves', 'from', 'evolue', 'ability', 'talent',
  'energy', 'energie', 'special', 'speciale', 'put', 'on', 'the', 'of', 'sur', 'le', 'la',
])

/** Labels printed next to the name on its row (never at either end of a name). */
const EDGE_LABELS = new Set(['hp', 'pv', 'kp', 'ps', 'basic', 'base', 'stage', 'niveau'])

/**
 * Runs of 1–4 words of each line that may be the printed name, longest first. OCR glues icons
 * and HP to the name, so every run is tried against the catalogue.
 */
export function nameQueries(text: string): string[] {
  const out = new Set<string>()
  // Each line as read, then with glued words apart (`ScizorV`, `Sprigatito#60`).
  for (const tokens of text.split('\n').flatMap(l => [nameTokens(l), nameTokens(unglued(l))])) {
    for (let n = Math.min(4, tokens.length); n >= 1; n--) {
      for (let i = 0; i + n <= tokens.length; i++) {
        const run = tokens.slice(i, i + n)
        if (run.every(t => NOT_NAME.has(t.toLowerCase()) || t.length === 1)) continue
        // `BASIC Charmander HP`: the labels around the name are no part of it (shorter runs cover it).
        if (n > 1 && (EDGE_LABELS.has(run[0]!.toLowerCase()) || EDGE_LABELS.has(run[n - 1]!.toLowerCase()))) continue
        const q = run.join(' ')
        if (q.replace(/[^\p{L}]/gu, '').length >= 3) out.add(q)
      }
    }
  }
  return [...out].slice(0, 24)
}

/** The words of a line that may be (part of) a name, stray glyphs dropped. */
function nameTokens(line: string): string[] {
  return line.split(/\s+/)
    .map(t => t.replace(/[^\p{L}\p{N}'’.\-♀♂]/gu, '').replace(/^[.\-']+|[.\-']+$/g, ''))
    // One capital is a word of some names (`Mega Charizard X ex`, `Scizor V`, `M Gardevoir EX`).
    .filter(t => (t.length >= 2 || /^[A-Z]$/.test(t)) && /\p{L}/u.test(t))
}

/** A line split where OCR glued words: at a stray glyph, where a capital follows a small letter, and between letters and digits. */
export function unglued(line: string): string {
  return line.replace(/[^\p{L}\p{N}\s'’.\-♀♂]+/gu, ' ').replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2').replace(/(\p{L})(\p{N})|(\p{N})(\p{L})/gu, '$1$3 $2$4')
}

/**
 * HP printed at the top right when no `HP`/`PV` label was read: the last multiple of ten (30–400)
 * on the name rows, the type symbol read as one or two more digits dropped (`609` for `60 ◉`).
 */
export function looseHp(text: string): number | null {
  const plausible = (n: number) => n >= 30 && n <= 400 && n % 10 === 0
  const found = [...text.matchAll(/(?<!\d)(\d{2,5})(?!\d)/g)].map((m) => {
    const digits = m[1]!
    return [0, 1, 2].filter(cut => digits.length - cut >= 2).map(cut => Number(digits.slice(0, digits.length - cut))).find(plausible) ?? null
  })
  return found.reverse().find(n => n !== null) ?? null
}

/** Where on an upright card text is read, as shares of its height: the name band above, the number rows below. */
export const CARD_BANDS = { name: 0.22, bottom: 0.75 }
/** Rows of the name band tried as names: the tallest print first (the name is the card's largest text). */
const NAME_ROWS = 3

function emptyReading(): CardReading {
  return { names: [], numbers: [], setCode: null, hp: null, lang: null, numberSide: null, illustrator: null, copyrightYear: null, rarity: null }
}

/**
 * The collector numbers of a row. Numbers repaired out of damaged text count only on a row that
 * is mostly digits, as number rows are (`HTWMN0451167`), not in prose (`neatle1100yard`).
 */
export function rowNumbers(text: string, known: KnownValues): CardNumber[] {
  const numbers = parseCardNumbers(text, known.totals)
  const letters = text.replace(/[^\p{L}]/gu, '').length, digits = text.replace(/\D/g, '').length
  return letters <= 2 * digits ? numbers : numbers.filter(n => !n.loose)
}

/** The number, set code, illustrator, copyright year and rarity of rows printed at a card's bottom. */
function bottomReading(rows: TextRow[], known: KnownValues, width: number): Partial<CardReading> {
  const text = rows.map(r => r.text).join('\n')
  const numberRows = rows.filter(r => rowNumbers(r.text, known).length > 0)
  const numbers = numberRows.flatMap(r => rowNumbers(r.text, known))
  const code = parseSetCode(text, known.setCodes)
  const first = numberRows[0]
  return {
    numbers,
    setCode: code?.code ?? null,
    lang: code?.lang ?? null,
    numberSide: first ? ((first.x0 + first.x1) / 2 < width / 2 ? 'left' : 'right') : null,
    illustrator: parseIllustrator(text),
    copyrightYear: parseCopyrightYear(text),
    rarity: first ? parseRarityMark(first.text) : null,
  }
}

/** Name queries and HP from rows where a name is printed, the tallest first. */
function nameReading(rows: TextRow[]): Pick<CardReading, 'names' | 'hp' | 'lang'> {
  const tallest = [...rows].sort((a, b) => b.height - a.height).slice(0, NAME_ROWS)
  const text = tallest.map(r => r.text).join('\n')
  const hp = parseHp(text)
  return { names: nameQueries(text), hp: hp?.hp ?? looseHp(text), lang: hp?.lang ?? null }
}

/** The language of a card printed in a script the catalogue has no card in (none of its languages). */
function foreignScript(lines: TextLine[]): string | null {
  const foreign = lines.reduce((n, l) => n + (l.text.match(FOREIGN)?.length ?? 0), 0)
  const latin = lines.reduce((n, l) => n + (l.text.match(/\p{Script=Latin}/gu)?.length ?? 0), 0)
  if (foreign < 4 || foreign < latin / 4) return null
  return lines.some(l => /\p{Script=Hangul}/u.test(l.text)) ? 'ko' : 'ja'
}

/** What a straightened, upright card's lines say: the name band at the top, the number row at the bottom. */
export function parseCard(lines: TextLine[], width: number, height: number, known: KnownValues): CardReading {
  const rows = textRows(lines)
  const middle = (r: TextRow) => (r.y0 + r.y1) / 2
  // A card whose outline was found a little off prints its number elsewhere on the warp: its
  // clean numbers count wherever they are, when the bottom rows gave none.
  const low = bottomReading(rows.filter(r => middle(r) > height * CARD_BANDS.bottom), known, width)
  const bottom = low.numbers!.length > 0 ? low : { ...bottomReading(rows, known, width), numbers: rows.flatMap(r => parseCardNumbers(r.text)) }
  const name = nameReading(rows.filter(r => middle(r) < height * CARD_BANDS.name))
  const foreign = foreignScript(lines)
  const clean = new Set(rows.flatMap(r => parseCardNumbers(r.text).map(n => `${n.number}/${n.printedTotal}`)))
  const lang = foreign ?? bottom.lang ?? name.lang ?? printedLanguage(rows.map(r => r.text).join(' '))
  return { ...emptyReading(), ...bottom, ...name, lang, foreign: !!foreign, numberRows: clean.size }
}

/** How far (letter heights) from a number row its illustrator line is printed above it, its copyright line below. */
const ABOVE_REACH = 2.5
const BELOW_REACH = 4

/**
 * What a whole photo's lines say (no card outline: a close-up, a fanned stack, a scan): one
 * reading per row holding a collector number, with the set code on it, the illustrator line just
 * above it and the copyright line just below. A photo of one number is one card: the largest
 * print above that number is its name. A photo of no number gives one reading of its largest print.
 */
export interface PhotoReading {
  reading: CardReading
  /** The middle of its number row, in the pixels the lines were given in (null without a number). */
  at: [number, number] | null
}

export function parsePhoto(lines: TextLine[], width: number, known: KnownValues): PhotoReading[] {
  const rows = textRows(lines)
  const numberRows = rows.filter(r => rowNumbers(r.text, known).length > 0)
  const foreign = foreignScript(lines)
  const near = (row: TextRow, r: TextRow, below: boolean) => {
    const gap = below ? r.y0 - row.y1 : row.y0 - r.y1
    return r !== row && !numberRows.includes(r) && gap > -row.height / 2 && gap < (below ? BELOW_REACH : ABOVE_REACH) * row.height
      && r.x1 > row.x0 - row.height && r.x0 < row.x1 + 12 * row.height
  }
  const text = (list: TextRow[]) => list.map(r => r.text).join('\n')
  const readings = numberRows.map((row) => {
    const bottom = bottomReading([row], known, width)
    const reading = {
      ...emptyReading(),
      ...bottom,
      illustrator: parseIllustrator(text(rows.filter(r => near(row, r, false)))),
      copyrightYear: parseCopyrightYear(text(rows.filter(r => near(row, r, true)))),
      lang: foreign ?? bottom.lang ?? null,
      foreign: !!foreign,
    }
    return { reading, at: row.centre }
  })
  if (readings.length > 1) return readings
  const above = numberRows[0] ? rows.filter(r => r.y1 <= numberRows[0]!.y0) : rows
  const name = nameReading(above)
  const one = readings[0] ?? { reading: { ...emptyReading(), foreign: !!foreign, lang: foreign }, at: null }
  const lang = one.reading.lang ?? name.lang ?? printedLanguage(rows.map(r => r.text).join(' '))
  return [{ ...one, reading: { ...one.reading, ...name, lang } }]
}

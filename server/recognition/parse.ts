/**
 * Parsers for what OCR reads off a card: the collector number (`012/193`, `TG05/TG30`, `SV049`,
 * `BW92`, legacy `58/102`), the printed set code with its language tag (`PAL EN`, `TEF FR`) and
 * the HP (`HP 150`, French `80 PV`). OCR confuses letters and digits (O/0, l/1, S/5, B/8), so the
 * digit positions are repaired before matching — never the letter prefixes, where `S` or `B` are real.
 */

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
      // The copyright line's year (`©2024 Pokémon`) is no number with a lost slash.
      if (COPYRIGHT_YEAR.test(m[1]!)) continue
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

/**
 * Three-digit runs of a text where no number parsed, the digits OCR split joined again
 * (`ory 0 12 Zp`: `012`, the slash and total of `012/193` lost in a halo). Modern cards print
 * their number with three digits; shorter runs (`-30`, `×2`) are resistance and weakness.
 */
export function numberFragments(text: string): string[] {
  const out = new Set<string>()
  for (const m of text.matchAll(/(?<![\d/] ?)\d(?: ?\d){2}(?! ?[\d/])/g)) out.add(m[0].replace(/ /g, ''))
  return [...out]
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
 * The printed set code and language tag (`PAL EN`, `TEF FR`). With `knownCodes`, only codes the
 * catalogue has are accepted (with O/0 and I/1 repaired, since codes are letters).
 */
export function parseSetCode(text: string, knownCodes?: ReadonlySet<string>): SetCodeReading | null {
  for (const m of text.matchAll(SET_CODE)) {
    const code = m[1]!.replace(/0/g, 'O').replace(/1/g, 'I').replace(/5/g, 'S').replace(/8/g, 'B')
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
const ILLUSTRATOR = /(?:^|[^A-Za-z])(?:[IlL1|]?l?lus|Ilus|Hus|hs)\.?\s*[:.,]?\s+([A-Za-z0-9][A-Za-z0-9 .&'’-]{2,40})/

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
 * A line that may be the illustrator's name with its `Illus.` label misread (`Ra Kagermaru
 * Himeno`): two to four words of letters, once a short first token (the label) is dropped. Only
 * a guess: it counts where it is close to a printing's illustrator.
 */
export function unlabelledIllustrator(text: string): string | null {
  for (const line of text.split('\n')) {
    let words = line.trim().split(/\s+/)
    if (words.length >= 3 && words[0]!.replace(/\W/g, '').length <= 3) words = words.slice(1)
    if (words.length < 2 || words.length > 4 || !words.every(w => /^[A-Za-z][A-Za-z.'’&-]*$/.test(w))) continue
    if (words.join('').replace(/[^A-Za-z]/g, '').length >= 8) return words.join(' ')
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

import { type CatalogEntry, type CatalogIndex, foldName, nameSimilarity, printedNumber, printedSetCode, searchNames, suffixless } from './catalog-index'
import { type CardNumber, numberKey, type RarityMark } from './parse'
import type { Candidate, CardReading } from './types'

/**
 * Weights of the evidence. The number with the set's printed total is the key (it narrows the
 * catalogue to one or two printings); the name confirms it; set code and HP settle the rest.
 * A name alone can reach at most NAME + HP + ILLUSTRATOR + COPYRIGHT_YEAR = 0.50, far under any
 * sensible threshold: many printings share a name, so a name is never enough to be sure.
 */
const W = {
  numberAndTotal: 0.55,
  numberWithPrefix: 0.5,
  numberNoTotal: 0.3,
  numberTotalMismatch: 0.15,
  numberNearTotal: 0.3,
  nearNumberAndTotal: 0.25,
  symbolAsOne: 0.32,
  nearNumberNearTotal: 0.15,
  totalOnly: 0.08,
  name: 0.35,
  setCode: 0.1,
  setCodeWithNumber: 0.3,
  setCodeMismatch: -0.15,
  hp: 0.05,
  hpMismatch: -0.1,
  layout: 0.03,
  illustrator: 0.06,
  copyrightYear: 0.04,
  rarity: 0.06,
}

/** An illustrator read this close to the catalogue's (OCR slips, a cut-off end) is theirs. */
const SAME_ILLUSTRATOR = 0.8
/** Highest score of a printing matched through an ambiguous repair (under any sensible threshold). */
const REPAIRED_CAP = 0.78

/**
 * A name read this close to a catalogue name is clean (a slip like `Scizorr` is 0.92 of Scizor);
 * a printing named less like it than OTHER_NAME is another card.
 */
const CLEAN_NAME = 0.9
const OTHER_NAME = 0.8
/** Share of a repaired number's weight kept when a clean name contradicts it. */
const DOUBTED_REPAIR = 0.5

/** Scarlet & Violet's first set: silver borders from then on. */
const SILVER_FROM = '2023-03'

/** The runner-up must trail by this much for a draft to be confident. */
export const CONFIDENCE_MARGIN = 0.1

/** Promo prefixes that name the set by themselves (`SWSH050`, `BW92`). */
const SET_NAMING_PREFIXES = new Set(['SWSH', 'HGSS', 'SVP', 'SM', 'XY', 'BW', 'DP', 'MEP', 'TG', 'GG', 'SV', 'RC', 'SL'])

function nameComponent(similarity: number): number {
  // 0.5 is what unrelated short names reach; 0.95 is a clean read.
  return W.name * Math.min(1, Math.max(0, (similarity - 0.5) / 0.45))
}

/** Same length, one character different: an OCR slip in one digit. */
function oneDigitOff(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff++
  return diff === 1
}

/**
 * One digit off the printing's number (`47/114` for `67/114`), also at the printed width (`05/113`
 * for `65/113`: the 6 read as a letter), its first digits lost (`08/131` for `108/131`, `4/147`
 * for `114/147`), or one digit too many or too few (`29/73` for `2/73`).
 */
function nearNumber(n: CardNumber, entryDigits: string): boolean {
  const lost = entryDigits.length - n.number.length
  return oneDigitOff(String(n.value), entryDigits)
    || oneDigitOff(n.number, entryDigits.padStart(n.number.length, '0'))
    || (/^\d+$/.test(n.number) && lost >= 1 && lost <= 2 && entryDigits.endsWith(n.number))
    || oneDigitMore(String(n.value), entryDigits) || oneDigitMore(entryDigits, String(n.value))
}

/** `longer` is `shorter` with one digit added somewhere. */
function oneDigitMore(longer: string, shorter: string): boolean {
  if (longer.length !== shorter.length + 1 || shorter.length === 0) return false
  for (let i = 0; i < longer.length; i++) if (longer.slice(0, i) + longer.slice(i + 1) === shorter) return true
  return false
}

/**
 * The set symbol printed just left of an unpadded number (2011–2019: `⚡ 10/168`) read as a 1:
 * `110/168`. The total matches exactly, which a number one digit off elsewhere does not make
 * likelier than a total one digit off (`110/167`), so this weighs a little more than both.
 */
function symbolReadAsOne(n: CardNumber, entry: CatalogEntry): boolean {
  if (n.prefix || n.number !== `1${entry.localId}` || !/^[1-9]\d?$/.test(entry.localId)) return false
  const printed = printedNumber(entry)
  return printed.corners.includes('left') && printed.text.startsWith(`${entry.localId}/`)
}

interface NumberEvidence {
  weight: number
  reason: string | null
  repaired?: boolean
  /** The printing's own number was read (not a near miss). */
  exact?: boolean
}

function numberEvidence(entry: CatalogEntry, numbers: CardNumber[]): NumberEvidence {
  let best: NumberEvidence = { weight: 0, reason: null }
  const entryKey = numberKey(entry.localId)
  const entryDigits = entry.localId.replace(/^[A-Za-z]+/, '').replace(/^0+(?=\d)/, '')
  for (const n of numbers) {
    const key = numberKey(n.number)
    const totalMatches = n.printedTotal !== null && entry.printedTotal === n.printedTotal
    const shown = n.printedTotal !== null ? `${n.number}/${n.totalPrefix}${n.printedTotal}` : n.number
    let e: NumberEvidence = { weight: 0, reason: null }
    if (key === entryKey) {
      if (totalMatches) e = { weight: W.numberAndTotal, reason: `number ${shown}`, exact: true }
      // A subset's number and total carry its prefix (`H03/H32`): the total is the subset's, not the set's.
      else if (n.prefix && (SET_NAMING_PREFIXES.has(n.prefix) || n.totalPrefix === n.prefix)) e = { weight: W.numberWithPrefix, reason: `number ${shown}`, exact: true }
      else if (n.printedTotal === null) e = { weight: W.numberNoTotal, reason: `number ${n.number} (no total read)`, exact: true }
      // One digit off a total of two digits or more (a one-digit total is one off every other).
      else if (entry.printedTotal !== null && n.printedTotal >= 10 && oneDigitOff(String(n.printedTotal), String(entry.printedTotal))) {
        e = { weight: W.numberNearTotal, reason: `number ${n.number}, total ${n.printedTotal} ≈ ${entry.printedTotal}` }
      }
      else e = { weight: W.numberTotalMismatch, reason: `number ${n.number}, total differs` }
    }
    else if (n.prefix && String(n.value) === entryKey && totalMatches) {
      // A stray letter glued to the number (`H010/167` from the regulation mark).
      e = { weight: W.numberAndTotal - 0.05, reason: `number ${n.value}/${n.printedTotal}` }
    }
    else if (totalMatches && symbolReadAsOne(n, entry)) {
      e = { weight: W.symbolAsOne, reason: `number ${shown} ≈ ${entry.localId} (set symbol read as 1)` }
    }
    else if (totalMatches && nearNumber(n, entryDigits)) {
      e = { weight: W.nearNumberAndTotal, reason: `number ${shown} ≈ ${entry.localId}` }
    }
    // A digit off in both (`133/109` for `193/189`): only a printing the name found gets here.
    else if (n.printedTotal !== null && n.printedTotal >= 10 && entry.printedTotal !== null
      && oneDigitOff(String(n.printedTotal), String(entry.printedTotal)) && nearNumber(n, entryDigits)) {
      e = { weight: W.nearNumberNearTotal, reason: `number ${shown} ≈ ${entry.localId}/${entry.printedTotal}` }
    }
    else if (totalMatches) {
      e = { weight: W.totalOnly, reason: `printed total ${n.printedTotal}` }
    }
    // A repaired reading (lost slash, padded total) is a little less sure than a clean one.
    if (n.loose && e.weight > 0) e = { ...e, weight: e.weight - 0.05, reason: `${e.reason} (repaired)`, repaired: true }
    if (e.weight > best.weight) best = e
  }
  return best
}

/**
 * A name read without the printing's suffix (`Scizor` on a `Scizor-EX`) still names it, a little
 * less than the plain printing's name (HP and number tell them apart).
 */
const SUFFIX_UNREAD = 0.9

function bestNameSimilarity(index: CatalogIndex, entry: CatalogEntry, queries: string[]): { similarity: number, name: string | null } {
  let best = { similarity: 0, name: null as string | null }
  const names = index.foldedNames.get(entry.id) ?? []
  for (const q of queries) {
    for (const n of names) {
      const base = suffixless(n)
      const s = Math.max(nameSimilarity(q, n), base ? nameSimilarity(q, base) * SUFFIX_UNREAD : 0)
      if (s > best.similarity) best = { similarity: s, name: n }
    }
  }
  return best
}

/**
 * Rarities printed with art over the whole card (no framed art window above a plain text box):
 * full arts, illustration and secret rares, and Sword & Shield's V, VMAX and VSTAR.
 */
const FULL_ART_RARITIES = new Set([
  'Ultra Rare', 'Illustration rare', 'Special illustration rare', 'Hyper rare', 'Secret Rare', 'Full Art Trainer',
  'Shiny Ultra Rare', 'Mega Hyper Rare', 'Holo Rare V', 'Holo Rare VMAX', 'Holo Rare VSTAR', 'Shiny rare V', 'Shiny rare VMAX',
])

/** Whether a printing has art over the whole card: a full-art rarity, or numbered past its set's total. */
export function fullArt(entry: CatalogEntry): boolean {
  return FULL_ART_RARITIES.has(entry.rarity ?? '') || (entry.number !== null && entry.printedTotal !== null && entry.number > entry.printedTotal)
}

/** The mark a printing of this rarity shows after its number (none on promos). */
export function rarityMark(rarity: string | null): RarityMark | null {
  if (rarity === 'Common') return 'common'
  if (rarity === 'Uncommon') return 'uncommon'
  return rarity && /rare/i.test(rarity) ? 'rare' : null
}

/** Whether the illustrator read (folded) is the printing's, OCR slips allowed. */
export function drawnBy(entry: CatalogEntry, illustrator: string): boolean {
  return !!entry.illustrator && nameSimilarity(illustrator, foldName(entry.illustrator)) >= SAME_ILLUSTRATOR
}

/** A card numbered within its set's printed total (no promo, no secret rare, no subset). */
function regular(entry: CatalogEntry): boolean {
  return entry.printedTotal !== null && entry.number !== null && /^\d+$/.test(entry.localId) && entry.number <= entry.printedTotal
}

function displayName(entry: CatalogEntry, lang: string | null): string {
  return (lang && entry.names[lang]) || entry.names.en || Object.values(entry.names)[0] || entry.id
}

function displaySetName(entry: CatalogEntry, lang: string | null): string {
  return (lang && entry.setName[lang]) || entry.setName.en || Object.values(entry.setName)[0] || entry.setId
}

/** A longer run read this close to a catalogue name is the name. */
const WHOLE_NAME = 0.9

/**
 * The name queries without the runs inside a longer one that names a card: `Steelix EX` read
 * cleanly means the card is no plain `Steelix`, `Radiant Charizard` no plain `Charizard`.
 */
export function withoutShadowedRuns(searched: { q: string, matches: { name: string, similarity: number }[] }[]): string[] {
  const whole = searched.filter(s => (s.matches[0]?.similarity ?? 0) >= WHOLE_NAME)
  return searched.map(s => s.q).filter(q => !whole.some(w =>
    w.q.length > q.length && ` ${w.q} `.includes(` ${q} `)
    // A stray letter before a name (`A Charmander`) shadows nothing: the run alone is the name.
    && nameSimilarity(q, w.matches[0]!.name) < w.matches[0]!.similarity))
}

/**
 * Ranks catalogue printings against what was read: number + printed total narrow the set, the set
 * code confirms, the name (every language) by `fuzzball.ratio`, HP breaks ties. Scores in [0, 1].
 */
export function rankCandidates(index: CatalogIndex, reading: CardReading, maxCandidates = 5): Candidate[] {
  const pool = new Map<string, CatalogEntry>()
  const add = (list: CatalogEntry[] | undefined) => list?.forEach(e => pool.set(e.id, e))
  for (const n of reading.numbers) {
    add(index.byNumber.get(numberKey(n.number)))
    if (n.prefix) add(index.byNumber.get(String(n.value)))
    if (n.printedTotal) {
      // Near misses (one digit misread) within the sets of that printed total.
      add(index.byTotal.get(n.printedTotal)?.filter(e => nearNumber(n, e.localId.replace(/^0+(?=\d)/, ''))))
    }
  }
  const searched = [...new Set(reading.names.map(foldName).filter(q => q.length >= 3))]
    .map(q => ({ q, matches: searchNames(index, q, 4) }))
  const queries = withoutShadowedRuns(searched)
  for (const { q, matches } of searched) {
    if (!queries.includes(q)) continue
    for (const match of matches) {
      if (match.similarity < 0.6) continue
      add(index.byName.get(match.name))
      // Its EX, GX, V… printings too: the suffix is a logo OCR often loses.
      add(index.bySuffixless.get(match.name))
    }
  }
  if (pool.size === 0) return []

  const readCode = reading.setCode
  const ambiguousRepair = new Set(reading.numbers.filter(n => n.loose).map(n => `${n.value}/${n.printedTotal}`)).size >= 2
  const illustrator = reading.illustrator ? foldName(reading.illustrator) : null
  // A name read cleanly (`Scizor`): a number repaired out of noise (`208 4197` → 4/197) that
  // belongs to a card of another name is likelier a wrong repair than a wrong name.
  const cleanName = searched.some(s => queries.includes(s.q) && s.matches.some(m => m.similarity >= CLEAN_NAME && m.name.length >= 5))
  const scored = [...pool.values()].map((entry) => {
    const reasons: string[] = []
    let score = 0
    const name = bestNameSimilarity(index, entry, queries)
    const num = numberEvidence(entry, reading.numbers)
    const doubted = num.repaired && cleanName && name.similarity < OTHER_NAME
    score += doubted ? num.weight * DOUBTED_REPAIR : num.weight
    if (num.reason) reasons.push(num.reason)
    const nameWeight = nameComponent(name.similarity)
    score += nameWeight
    if (nameWeight > 0) reasons.push(`name ${Math.round(name.similarity * 100)}%`)
    const entryCode = printedSetCode(entry)
    if (readCode && entryCode) {
      if (readCode === entryCode) {
        // Set code and number name one printing (`PAL` 012): together they are the card's key.
        score += num.exact ? W.setCodeWithNumber : W.setCode
        reasons.push(`set code ${readCode}`)
      }
      else {
        score += W.setCodeMismatch
      }
    }
    if (reading.hp !== null && entry.hp !== null) {
      if (reading.hp === entry.hp) {
        score += W.hp
        reasons.push(`HP ${entry.hp}`)
      }
      // `50` of a 150-HP card: the thin leading `1` is the glyph OCR drops most, but a misread
      // as well: half the mismatch.
      else {
        score += entry.hp === reading.hp + 100 ? W.hpMismatch / 2 : W.hpMismatch
      }
    }
    if (illustrator && drawnBy(entry, illustrator)) {
      score += W.illustrator
      reasons.push(`illustrator ${entry.illustrator}`)
    }
    // The copyright year: a tie-breaker between sets that share number and total (`197/189`
    // of Darkness Ablaze, 2020, and of Astral Radiance, 2022). Most sets come out in their
    // copyright's year, fewer early the next.
    const released = Number(entry.releaseDate?.slice(0, 4))
    if (reading.copyrightYear && (released === reading.copyrightYear || released === reading.copyrightYear + 1)) {
      score += released === reading.copyrightYear ? W.copyrightYear : W.copyrightYear * 0.75
      reasons.push(`© ${reading.copyrightYear}`)
    }
    // The rarity mark: it tells apart two readings of one row (`075/167 +`, `079/167 +`: the
    // diamond is Clefable's, not Wattrel's circle).
    if (reading.rarity && num.weight > 0 && rarityMark(entry.rarity) === reading.rarity) {
      score += W.rarity
      reasons.push(`rarity ${entry.rarity}`)
    }
    const printed = printedNumber(entry)
    // Layout era: a tie-breaker between printings that share number and total. A number read
    // bottom right is likelier a legacy card's (printed nowhere else) than a Black & White or XY one's.
    if (reading.numberSide && num.weight > 0 && entry.releaseDate && printed.corners.includes(reading.numberSide)) {
      score += reading.numberSide === 'right' && printed.corners.length > 1 ? W.layout / 2 : W.layout
    }
    // A reading repaired two ways (`92/1100`: 92/100 or 92/110) can match another printing of
    // the same name perfectly: it ranks, but it is never sure.
    score = Math.min(num.repaired && ambiguousRepair ? REPAIRED_CAP : 1, Math.max(0, score))
    const borderMatch = !!reading.border && (reading.border === 'silver') === ((entry.releaseDate ?? '') >= SILVER_FROM)
    // Art over the whole card or a plain text box: binder pages are full of full arts and
    // illustration rares that share a name (and often a total) with the set's plain printing.
    const layoutMatch = !!reading.layout && (reading.layout === 'full-art') === fullArt(entry)
    if (layoutMatch) reasons.push(reading.layout === 'full-art' ? 'full art' : 'plain text box')
    return { entry, score, hpMatch: reading.hp !== null && reading.hp === entry.hp, layoutMatch, borderMatch, reasons }
  })
  scored.sort((a, b) =>
    b.score - a.score
    || Number(b.hpMatch) - Number(a.hpMatch)
    // The layout seen is right on most cards, not all (art with a straight edge across it): it orders ties.
    || Number(b.layoutMatch) - Number(a.layoutMatch)
    // The border's colour tells eras apart, though not always (special cards): it only orders ties.
    || Number(b.borderMatch) - Number(a.borderMatch)
    // What nothing read tells apart: a set's regular cards are far more common than its promos
    // and secret rares, and newer printings than older ones.
    || Number(regular(b.entry)) - Number(regular(a.entry))
    || (b.entry.releaseDate ?? '').localeCompare(a.entry.releaseDate ?? '')
    || a.entry.id.localeCompare(b.entry.id))

  return scored.slice(0, Math.max(1, maxCandidates)).map(({ entry, score, reasons }) => ({
    cardId: entry.id,
    name: displayName(entry, reading.lang),
    names: entry.names,
    setId: entry.setId,
    setName: displaySetName(entry, reading.lang),
    setCode: entry.setCode,
    number: entry.printedTotal ? `${entry.localId}/${entry.printedTotal}` : entry.localId,
    score: Math.round(score * 1000) / 1000,
    reasons,
  }))
}

/**
 * Confident = the first candidate reaches the threshold AND beats the runner-up by a clear margin
 * (two printings that only the name tells apart are never confident).
 */
export function isConfident(candidates: Candidate[], threshold: number): boolean {
  const [first, second] = candidates
  if (!first || first.score < threshold) return false
  return !second || first.score - second.score >= CONFIDENCE_MARGIN
}

/**
 * The language of a printing's name that the names read match best (`Sovkipou`: French), or null
 * when none matches well. A name several languages print alike (`Pikachu`) is taken for English
 * when English is one of them: the card's own words (`PV`, `FR`) settle it before this.
 */
export function nameLanguage(index: CatalogIndex, entry: CatalogEntry, names: string[]): string | null {
  const queries = names.map(foldName).filter(q => q.length >= 3)
  const similarity = Object.fromEntries(Object.entries(entry.names).map(([lang, name]) =>
    [lang, Math.max(0, ...queries.map(q => nameSimilarity(q, foldName(name))))]))
  const best = Math.max(0, ...Object.values(similarity))
  if (best < CLEAN_NAME) return null
  const langs = Object.keys(similarity).filter(lang => similarity[lang] === best)
  return langs.length === 1 ? langs[0]! : langs.includes('en') ? 'en' : null
}

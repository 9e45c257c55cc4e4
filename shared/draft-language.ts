import { CARD_LANGUAGES, type CardLanguage } from './schemas/collection'

/** What the language of a found card is told by: what was read, and the candidate it is taken for. */
export interface LanguageClues {
  /** The language printed on the card as recognition read it (`FR` after the set code, `PV` rather than `HP`…). */
  lang?: string | null
  /** The name read off the card. */
  name?: string | null
}
export interface NamedCandidate {
  /** The candidate's name in the language read, when the catalogue has it (else English). */
  name: string
  names: Partial<Record<string, string>>
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()
const isCardLanguage = (l: string): l is CardLanguage => (CARD_LANGUAGES as readonly string[]).includes(l)

/** Letter pairs of a folded text, for a similarity that survives OCR's dropped or doubled letters. */
function pairs(s: string): Map<string, number> {
  const out = new Map<string, number>()
  for (let i = 0; i < s.length - 1; i++) out.set(s.slice(i, i + 2), (out.get(s.slice(i, i + 2)) ?? 0) + 1)
  return out
}
/** Dice coefficient of two folded texts' letter pairs, in [0, 1]. */
export function nameSimilarity(a: string, b: string): number {
  const x = pairs(fold(a))
  const y = pairs(fold(b))
  let shared = 0
  let total = 0
  for (const [k, n] of x) {
    shared += Math.min(n, y.get(k) ?? 0)
    total += n
  }
  for (const n of y.values()) total += n
  return total ? (2 * shared) / total : 0
}

/** The only language whose name is `name`, or null when none or several are (`Pikachu` in every language). */
function languageOfName(name: string, names: NamedCandidate['names']): CardLanguage | null {
  const folded = fold(name)
  const langs = Object.entries(names).filter(([l, n]) => n && isCardLanguage(l) && fold(n) === folded).map(([l]) => l as CardLanguage)
  return langs.length === 1 ? langs[0]! : null
}

/** The language whose name the read name is clearly closest to (by 0.15 over every other spelling), or null. */
function languageClosestTo(read: string, names: NamedCandidate['names']): CardLanguage | null {
  const scored = Object.entries(names)
    .filter(([l, n]) => n && isCardLanguage(l))
    .map(([l, n]) => ({ lang: l as CardLanguage, name: fold(n!), score: nameSimilarity(read, n!) }))
    .sort((a, b) => b.score - a.score)
  const best = scored[0]
  if (!best || best.score < 0.5) return null
  // A name several languages spell alike (`Ho-Oh`) says nothing about the language.
  if (scored.filter(s => s.name === best.name).length > 1) return null
  const rival = scored.find(s => s.name !== best.name)
  return !rival || best.score - rival.score >= 0.15 ? best.lang : null
}

/**
 * The printed language of a card found in a photo, the default of its tile's language field: the
 * language read off the card when recognition read one; else the language of the candidate's name
 * when only that language (not English) spells it so; else the language whose name the read name is
 * clearly closest to;
 * else English (the language most cards are printed in; never the UI's own, which says nothing
 * about the card).
 */
export function draftLanguage(clues: LanguageClues, candidate?: NamedCandidate | null): CardLanguage {
  const read = clues.lang?.trim().toLowerCase()
  if (read && isCardLanguage(read)) return read
  if (candidate) {
    // A ranker that knew no language names candidates in English, so only another language says something.
    const named = languageOfName(candidate.name, candidate.names)
    if (named && named !== 'en') return named
    if (clues.name) {
      const closest = languageClosestTo(clues.name, candidate.names)
      if (closest) return closest
    }
  }
  return 'en'
}

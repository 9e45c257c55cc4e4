import { nameSimilarity } from './draft-language'

/** How sure a candidate is, in the words the review shows. */
export type MatchLevel = 'sure' | 'likely' | 'unsure'

/** Below this score a candidate is a guess ("unsure"): its tile waits for the collector's own tap. */
export const LIKELY_SCORE = 0.5

/**
 * "Sure" only for a confident draft's first candidate (the server's rule, which also demands a margin
 * over the runner-up), "likely" from half the score, "unsure" below.
 */
export function matchLevel(score: number, first: boolean, confident: boolean): MatchLevel {
  if (first && confident) return 'sure'
  return score >= LIKELY_SCORE ? 'likely' : 'unsure'
}

interface Read { name?: string | null, number?: string | null, printedTotal?: number | null, setCode?: string | null }
interface Named { name: string, names?: Partial<Record<string, string>> }

/** A read name close enough to one of the candidates' names (any language) to be a name, not OCR noise. */
export const READ_NAME_MIN_SIMILARITY = 0.7

/**
 * What the catalogue search on a tile starts with: the number that was read, with its set code
 * (`PAL 012`) or printed total (`58/102`), which the catalogue search parses; else the name that
 * was read when it is close to a candidate's name; else nothing. OCR noise (`Basie Women Co Ari`)
 * would only have to be erased.
 */
export function searchStart(read: Read, candidates: Named[]): string {
  const number = read.number?.trim()
  if (number) {
    if (read.setCode) return `${read.setCode} ${number}`
    return read.printedTotal && /^\d+$/.test(number) ? `${number}/${read.printedTotal}` : number
  }
  const name = read.name?.trim()
  if (name && candidates.some(c => [c.name, ...Object.values(c.names ?? {})].some(n => n && nameSimilarity(name, n) >= READ_NAME_MIN_SIMILARITY))) return name
  return ''
}

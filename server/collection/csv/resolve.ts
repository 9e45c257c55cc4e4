import { foldText } from '../../catalog/source'
import type { LocalizedNames } from '../../database/schema'
import type { CardRef, CsvProblemCode, ProblemParams } from './formats'

export interface CatalogSetEntry {
  id: string
  code: string | null
  codeFr: string | null
  tcgOnline: string | null
  names: LocalizedNames
  printedTotal: number | null
}

export interface CatalogCardEntry {
  id: string
  setId: string
  localId: string
  names: LocalizedNames
  /** The catalogue's variants (the finishes a copy can have). */
  variants?: string[]
}

export type Resolution = { cardId: string, variants: string[] } | { error: string, code: CsvProblemCode, params: ProblemParams }

const problem = (error: string, code: CsvProblemCode, params: ProblemParams = {}): Resolution => ({ error, code, params })

const found = (card: CatalogCardEntry): Resolution => ({ cardId: card.id, variants: card.variants ?? [] })

const squash = (s: string) => foldText(s).replace(/&/g, 'and').replace(/[^a-z0-9]/g, '')

/** `012` → `12`, `TG05` → `TG5`, `swsh099` → `SWSH99`: numbers compare without leading zeros. */
export const normLocalId = (s: string) => s.trim().toUpperCase().replace(/^([A-Z]*)0+(?=\d)/, '$1')

/** `SV02` ↔ `sv2`, `swsh12.5`: set codes and ids compare upper-case without zero padding. */
const normCode = (s: string) => s.trim().toUpperCase().replace(/(\D)0+(?=\d)/g, '$1')

// "SV02: Paldea Evolved", "SWSH09: Brilliant Stars", "SM - Burning Shadows": marketplace prefixes.
const SET_PREFIX = /^[a-z]{1,5}\d{0,3}[a-z]?\s*[:\-–]\s+/i
const ERA_WORDS = /^(scarletandviolet|swordandshield|sunandmoon|xy|blackandwhite)(?=.)/

/** Set-name spellings to try, most literal first. */
function setNameKeys(name: string): string[] {
  const keys = [squash(name), squash(name.replace(SET_PREFIX, ''))]
  for (const k of [...keys]) if (ERA_WORDS.test(k)) keys.push(k.replace(ERA_WORDS, ''))
  return [...new Set(keys.filter(Boolean))]
}

/** `012/193` → { local: '012', total: 193 }; `TG05/TG30` → { local: 'TG05' }. */
export function splitNumber(number: string): { local: string, total: number | null } {
  const [local = '', total = ''] = number.trim().split('/')
  return { local: local.trim(), total: /^\d+$/.test(total.trim()) ? Number.parseInt(total, 10) : null }
}

/** A card name from another app against our names: the same once folded, or one containing the other. */
export function nameMatches(given: string, names: LocalizedNames): boolean {
  const a = squash(given)
  if (!a) return true
  return Object.values(names).some((n) => {
    const b = squash(n ?? '')
    return !!b && (a === b || (b.length >= 3 && a.includes(b)) || (a.length >= 3 && b.includes(a)))
  })
}

/**
 * The part of the catalogue an import needs, in memory: every set (a few hundred) and the cards of the
 * sets the file names. Pure, so each way of naming a card is unit-tested without a database.
 */
export class CatalogIndex {
  private readonly byCode = new Map<string, CatalogSetEntry[]>()
  private readonly byName = new Map<string, CatalogSetEntry[]>()
  private readonly cards = new Map<string, CatalogCardEntry>()
  private readonly cardsBySet = new Map<string, CatalogCardEntry[]>()

  constructor(readonly sets: CatalogSetEntry[]) {
    const add = (map: Map<string, CatalogSetEntry[]>, key: string | null, set: CatalogSetEntry) => {
      if (!key) return
      const list = map.get(key) ?? []
      if (!list.includes(set)) list.push(set)
      map.set(key, list)
    }
    for (const set of sets) {
      for (const code of [set.id, set.code, set.codeFr, set.tcgOnline]) add(this.byCode, code && normCode(code), set)
      for (const name of Object.values(set.names)) if (name) add(this.byName, squash(name), set)
    }
  }

  addCards(cards: CatalogCardEntry[]) {
    for (const card of cards) {
      if (this.cards.has(card.id.toLowerCase())) continue
      this.cards.set(card.id.toLowerCase(), card)
      const list = this.cardsBySet.get(card.setId) ?? []
      list.push(card)
      this.cardsBySet.set(card.setId, list)
    }
  }

  /** Sets named by the line's code, else by its name. */
  setsOf(ref: CardRef): CatalogSetEntry[] {
    if (ref.setCode) {
      const found = this.byCode.get(normCode(ref.setCode))
      if (found) return found
    }
    if (ref.setName) {
      for (const key of setNameKeys(ref.setName)) {
        const found = this.byName.get(key)
        if (found) return found
      }
    }
    return []
  }

  /** The sets whose cards resolving this line may need (so the caller loads only those). */
  candidateSetIds(ref: CardRef): string[] {
    const sets = this.setsOf(ref)
    if (sets.length) return sets.map(s => s.id)
    const total = ref.number ? splitNumber(ref.number).total : null
    return total ? this.sets.filter(s => s.printedTotal === total).map(s => s.id) : []
  }

  /**
   * A catalogue card for a line: its card id; else set (code or name) + number, checked against the
   * name when given; else the printed total + number + name across sets; else set + name when unique.
   */
  resolve(ref: CardRef): Resolution {
    if (ref.cardId) {
      const card = this.cards.get(ref.cardId.trim().toLowerCase())
      if (card) return found(card)
      if (!ref.number && !ref.name) return problem(`Unknown card id "${ref.cardId}"`, 'unknownCardId', { value: ref.cardId })
    }
    const setLabel = ref.setCode ?? ref.setName
    let sets = this.setsOf(ref)
    const number = ref.number ? splitNumber(ref.number) : null
    let acrossSets = false
    if (!sets.length) {
      if (number?.total) {
        sets = this.sets.filter(s => s.printedTotal === number.total)
        acrossSets = true
      }
      else if (setLabel) return problem(`Unknown set "${setLabel}"`, 'unknownSet', { value: setLabel })
      else return problem('Cannot tell which card this is: give a card id, or a set with a number or name', 'cannotTell')
    }
    const pool = sets.flatMap(s => this.cardsBySet.get(s.id) ?? [])
    const where = acrossSets ? `any set of ${number!.total} cards` : `set ${setLabel}`
    // The UI words `where` itself: a set, or any set of that many cards.
    const place: ProblemParams = acrossSets ? { total: number!.total! } : { set: setLabel! }

    if (number?.local) {
      const local = normLocalId(number.local)
      const byNumber = pool.filter(c => normLocalId(c.localId) === local)
      const named = ref.name ? byNumber.filter(c => nameMatches(ref.name!, c.names)) : byNumber
      if (named.length === 1) return found(named[0]!)
      if (named.length > 1) return problem(`Several cards numbered ${ref.number} in ${where}: ${named.map(c => c.id).join(', ')}`, 'severalNumbered', { ...place, number: ref.number!, ids: named.map(c => c.id).join(', ') })
      if (byNumber.length && ref.name) {
        const found = byNumber[0]!.names.en ?? Object.values(byNumber[0]!.names)[0] ?? ''
        return problem(`Card ${ref.number} of ${where} is "${found}", not "${ref.name}"`, 'wrongName', { ...place, number: ref.number!, found, name: ref.name })
      }
      return problem(`No card numbered ${ref.number} in ${where}`, 'noNumber', { ...place, number: ref.number! })
    }
    if (ref.name) {
      const key = squash(ref.name)
      const named = pool.filter(c => Object.values(c.names).some(n => n && squash(n) === key))
      if (named.length === 1) return found(named[0]!)
      if (named.length > 1) return problem(`Several cards named "${ref.name}" in ${where}; add the card number`, 'severalNamed', { ...place, name: ref.name })
      return problem(`No card named "${ref.name}" in ${where}`, 'noName', { ...place, name: ref.name })
    }
    return problem(`Cannot tell which card of ${where} this is: give a number or a name`, 'cannotTellInSet', place)
  }
}

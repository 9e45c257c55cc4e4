import type { CollectionItem } from '~~/shared/types/collection'
import type { CopyFields } from '~/composables/useCollection'

/** What else describes a copy: its grading, what it cost, where it is kept, notes. */
export interface CopyDetails {
  grader: string | null
  grade: string | null
  certNumber: string | null
  pricePaid: number | null
  pricePaidCurrency: string | null
  acquiredAt: string | null
  location: string | null
  notes: string | null
}

export const emptyDetails = (currency: string | null = null): CopyDetails => ({
  grader: null, grade: null, certNumber: null, pricePaid: null, pricePaidCurrency: currency, acquiredAt: null, location: null, notes: null,
})

export function fieldsOf(item: CollectionItem): CopyFields {
  return { quantity: item.quantity, condition: item.condition, language: item.language, finish: item.finish }
}

export function detailsOf(item: CollectionItem): CopyDetails {
  const { grader, grade, certNumber, pricePaid, pricePaidCurrency, acquiredAt, location, notes } = item
  return { grader, grade, certNumber, pricePaid, pricePaidCurrency, acquiredAt, location, notes }
}

/** Details as the API takes them: text trimmed (empty text is null, which clears it), no currency without a price. */
export function cleanDetails(details: CopyDetails): CopyDetails {
  const clean = Object.fromEntries(Object.entries(details).map(([k, v]) => [k, typeof v === 'string' ? v.trim() || null : v])) as unknown as CopyDetails
  if (clean.pricePaid === null) clean.pricePaidCurrency = null
  return clean
}

/** The fields that changed, as a PATCH body. */
export function copyPatch(item: CollectionItem, fields: CopyFields, details: CopyDetails): Record<string, unknown> {
  const next: Record<string, unknown> = { ...fields, ...cleanDetails(details) }
  const patch: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(next)) {
    const v = typeof value === 'string' ? value.trim() || null : value
    if (v !== (item as unknown as Record<string, unknown>)[key] && !(key === 'finish' && v === null)) patch[key] = v
  }
  return patch
}

/** A graded copy's label: "PSA 10". */
export const slabLabel = (copy: { grader: string | null, grade: string | null }) => [copy.grader, copy.grade].filter(Boolean).join(' ')
export const isGraded = (copy: { grader: string | null, grade: string | null }) => !!(copy.grader || copy.grade)

/** Profit (positive) or loss of a copy against its market price, when both are known in the same currency. */
export function profitOf(item: Pick<CollectionItem, 'pricePaid' | 'pricePaidCurrency' | 'quantity' | 'price'>): number | null {
  if (!item.price || item.pricePaid === null || item.pricePaidCurrency !== item.price.currency) return null
  return Math.round((item.price.unit - item.pricePaid) * item.quantity * 100) / 100
}

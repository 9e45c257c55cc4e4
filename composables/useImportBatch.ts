import type { CatalogCard } from '~~/shared/schemas/catalog'
import type { BatchDto, BatchListDto, DraftCandidate, DraftDto } from '~~/shared/schemas/imports'
import { draftLanguage } from '~~/shared/draft-language'
import { type MatchLevel, matchLevel } from '~~/shared/review'
import type { ScanPlacement } from '~~/shared/schemas/binders'
import type { CopyFields } from './useCollection'

/** A card picked from the catalogue search rather than from the candidates. */
export type PickedCard = Pick<DraftCandidate, 'cardId' | 'name' | 'names' | 'setId' | 'setName' | 'number'> & { setCode?: string | null }

/** What the user has chosen on a review tile before confirming. */
export interface DraftChoice extends CopyFields {
  cardId: string | null
  picked?: PickedCard | null
  /** The collector chose the card themselves (a tap on a candidate, a search): it counts as sure. */
  chosen?: boolean
  /** The collector set the language: a change of card no longer changes it. */
  languageSet?: boolean
}

/** The candidate (or picked card) a choice points at. */
export function chosenCard(draft: DraftDto, choice: Pick<DraftChoice, 'cardId' | 'picked'>): DraftCandidate | PickedCard | null {
  return draft.candidates.find(c => c.cardId === choice.cardId) ?? (choice.picked?.cardId === choice.cardId ? choice.picked ?? null : null)
}

/** The language a draft's card is printed in, as far as what was read tells (never the UI's language). */
export function languageFor(draft: DraftDto, card: DraftCandidate | PickedCard | null): string {
  // A picked card is named in the UI's language: only its names by language say anything.
  const named = card && !('score' in card) ? { name: card.names.en ?? card.name, names: card.names } : card
  return draftLanguage(draft.read, named)
}

/** Starting choice for a draft: its first candidate, whatever its score (a tap on Add, or one on "add all"). */
export function initialChoice(draft: DraftDto): DraftChoice {
  const first = draft.candidates[0] ?? null
  return {
    cardId: first?.cardId ?? null,
    picked: null,
    quantity: 1,
    condition: 'NM',
    language: languageFor(draft, first),
    // Empty: the chosen card's own printing (its variants decide; see CopyFields).
    finish: '',
  }
}

/** How sure the chosen card of a pending draft is; null when nothing is chosen. */
export function choiceLevel(draft: DraftDto, choice: DraftChoice | undefined): MatchLevel | null {
  if (!choice?.cardId) return null
  if (choice.chosen || choice.picked?.cardId === choice.cardId) return 'sure'
  const i = draft.candidates.findIndex(c => c.cardId === choice.cardId)
  return i < 0 ? null : matchLevel(draft.candidates[i]!.score, i === 0, draft.confident)
}

/** One import batch (`GET /api/imports/batches/:id`) and the review actions on its drafts (async: see useCollection). */
export async function useImportBatch(id: MaybeRefOrGetter<string>) {
  const fetch = await useFetch<{ batch: BatchDto }>(() => `/api/imports/batches/${toValue(id)}`, { key: `batch-${toValue(id)}` })

  function replaceDraft(draft: DraftDto) {
    const data = fetch.data.value
    if (!data) return
    fetch.data.value = { batch: { ...data.batch, drafts: data.batch.drafts.map(d => (d.id === draft.id ? draft : d)) } }
  }

  async function select(draft: DraftDto, choice: DraftChoice) {
    const { cardId, quantity, condition, language, finish } = choice
    const res = await $fetch<{ draft: DraftDto, place?: ScanPlacement }>(`/api/imports/drafts/${draft.id}/select`, {
      method: 'POST',
      body: { cardId, quantity, condition, language, finish: finish || undefined },
    })
    replaceDraft(res.draft)
    // `place`: for a binder page scan, the pocket the copy went into, or why not.
    return res
  }

  async function dismiss(draft: DraftDto) {
    const res = await $fetch<{ draft: DraftDto }>(`/api/imports/drafts/${draft.id}/dismiss`, { method: 'POST' })
    replaceDraft(res.draft)
    return res.draft
  }

  /** Takes an added card back out of the collection; the draft is pending again. */
  async function undo(draft: DraftDto) {
    const res = await $fetch<{ draft: DraftDto }>(`/api/imports/drafts/${draft.id}/undo`, { method: 'POST' })
    replaceDraft(res.draft)
    return res.draft
  }

  return { ...fetch, select, dismiss, undo, replaceDraft }
}

export function useImportBatches(pageSize: number, key = 'batches') {
  const fetch = useFetch<BatchListDto>('/api/imports/batches', { key, query: { pageSize } })
  // Batches still analysing move on by themselves on the home page and /imports.
  usePollWhile(
    () => !!fetch.data.value?.batches.some(b => b.status === 'analyzing'),
    () => fetch.refresh(),
    () => JSON.stringify(fetch.data.value?.batches.map(b => [b.status, b.images, b.drafts.total])),
  )
  return fetch
}

/** Polling delays: quick while things change, slower while they do not. */
export const POLL_MIN_MS = 1000
export const POLL_MAX_MS = 8000

/** The next delay: back to the minimum after a change, else twice the last (bounded). */
export const nextPollDelay = (last: number, changed: boolean) => (changed ? POLL_MIN_MS : Math.min(POLL_MAX_MS, last * 2))

/**
 * Calls `refresh` while `active()` holds, with backoff: every second while `signature()` changes,
 * up to every 8 s while it does not; paused while the tab is hidden. (Polling, not server-sent
 * events: the progress lives in the database, written by workers on any machine, so the server
 * would poll it anyway; a `GET` also survives restarts and proxies. See docs/IMAGE_PIPELINE.md.)
 */
export function usePollWhile(active: () => boolean, refresh: () => Promise<unknown>, signature: () => string) {
  if (import.meta.server) return
  let timer: ReturnType<typeof setTimeout> | undefined
  let delay = POLL_MIN_MS
  let last = ''
  let stopped = false
  const schedule = () => {
    clearTimeout(timer)
    if (stopped || !active() || document.hidden) return
    timer = setTimeout(tick, delay)
  }
  async function tick() {
    await refresh().catch(() => {})
    const now = signature()
    delay = nextPollDelay(delay, now !== last)
    last = now
    schedule()
  }
  const onVisible = () => {
    delay = POLL_MIN_MS
    schedule()
  }
  onMounted(() => {
    last = signature()
    document.addEventListener('visibilitychange', onVisible)
    schedule()
  })
  // A batch that starts analysing (a new upload seen on refresh) starts the polling again.
  watch(active, (on) => { if (on) schedule() })
  onBeforeUnmount(() => {
    stopped = true
    clearTimeout(timer)
    document.removeEventListener('visibilitychange', onVisible)
  })
}

export type { CatalogCard }

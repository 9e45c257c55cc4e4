import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { Condition, Finish } from '../../shared/schemas/collection'
import type { PriceCurrency, PriceSource } from '../../shared/schemas/prices'
import type { BinderLayout } from '../../shared/binders'

/** Names keyed by catalogue language (`en`, `fr`, `de`, `es`, `it`, `pt`). */
export type LocalizedNames = Partial<Record<string, string>>

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type Json<T> = ColumnType<T, string, string>

export interface SeriesTable {
  id: string
  name: Json<LocalizedNames>
  name_en: string
}

export interface SetsTable {
  id: string
  series_id: string | null
  name: Json<LocalizedNames>
  name_en: string
  /** The printed total, the `193` of `012/193`. */
  printed_total: number | null
  card_count: number
  /** Printed set code on Scarlet & Violet era cards (`PAL`). */
  code: string | null
  code_fr: string | null
  tcg_online: string | null
  release_date: string | null
}

export interface CardsTable {
  id: string
  set_id: string
  local_id: string
  /** Numeric part of local_id, for sorting and `12` ≙ `012` look-ups. */
  number: number | null
  name: Json<LocalizedNames>
  name_en: string
  /** Every language's name, space separated, for trigram search. */
  search_text: string
  category: string
  hp: number | null
  types: ColumnType<string[], string[], string[]>
  stage: string | null
  rarity: string | null
  illustrator: string | null
  regulation_mark: string | null
  variants: ColumnType<string[], string[], string[]>
}

export interface UsersTable {
  id: Generated<string>
  email: string
  name: string
  password_hash: string
  /** Raised to end every session issued before (sign out everywhere else, password change). */
  session_version: Generated<number>
  created_at: Generated<Timestamp>
  /** The currency values are shown in: EUR (Cardmarket) or USD (TCGplayer). */
  price_currency: Generated<PriceCurrency>
}

export interface ApiTokensTable {
  id: Generated<string>
  user_id: string
  name: string
  token_hash: string
  /** First characters of the token, shown so a user can tell tokens apart. */
  token_prefix: string
  last_used_at: Timestamp | null
  created_at: Generated<Timestamp>
}

export type BatchStatus = 'receiving' | 'analyzing' | 'ready' | 'partial' | 'failed'
export type ImageStatus = 'receiving' | 'queued' | 'analyzing' | 'analyzed' | 'failed'
export type DraftStatus = 'pending' | 'selected' | 'dismissed' | 'failed'

export interface ImportBatchesTable {
  id: Generated<string>
  user_id: string
  status: BatchStatus
  created_at: Generated<Timestamp>
  updated_at: Generated<Timestamp>
}

export interface ImportImagesTable {
  id: Generated<string>
  batch_id: string
  user_id: string
  position: number
  filename: string | null
  content_type: string | null
  byte_size: number
  width: number | null
  height: number | null
  status: ImageStatus
  failure_reason: string | null
  expires_at: Timestamp
  /** Analysis runs started. */
  attempts: Generated<number>
  /** Whether the bytes are meant to be in the image store (counted against the quotas). */
  kept: Generated<boolean>
  created_at: Generated<Timestamp>
  updated_at: Generated<Timestamp>
}

export interface CardDraftsTable {
  id: Generated<string>
  batch_id: string
  image_id: string
  user_id: string
  position: number
  quad: Json<[number, number][] | null> | null
  crop: Buffer | null
  crop_type: string | null
  read: Json<Record<string, unknown>>
  candidates: Json<unknown[]>
  confident: boolean
  status: DraftStatus
  failure_reason: string | null
  selected_card_id: string | null
  user_card_id: string | null
  selection: Json<Record<string, unknown> | null> | null
  created_at: Generated<Timestamp>
  updated_at: Generated<Timestamp>
}


/** The embedded queue's jobs (BullMQ keeps its own in Redis). */
export interface AnalysisJobsTable {
  id: string
  queue: string
  data: Json<Record<string, unknown>>
  status: 'queued' | 'active' | 'failed'
  attempts: Generated<number>
  run_at: Generated<Timestamp>
  lease_until: Timestamp | null
  locked_by: string | null
  last_error: string | null
  created_at: Generated<Timestamp>
  updated_at: Generated<Timestamp>
}

export interface UserCardsTable {
  id: Generated<string>
  user_id: string
  card_id: string
  quantity: number
  condition: Condition
  language: string
  finish: Finish
  grader: string | null
  grade: string | null
  cert_number: string | null
  location: string | null
  notes: string | null
  price_paid: ColumnType<string | null, string | number | null, string | number | null>
  price_paid_currency: ColumnType<string | null, string | null | undefined, string | null>
  acquired_at: ColumnType<string | null, string | null, string | null>
  source_draft_id: string | null
  /** Raised by every change of the row (optimistic concurrency: If-Match). */
  version: Generated<number>
  created_at: Generated<Timestamp>
  updated_at: Generated<Timestamp>
}

type Money = ColumnType<string | null, string | number | null, string | number | null>
type MaybeTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>

/** One card's price from one market, for one variant (finish): the latest in card_prices, one per day in card_price_history. */
export interface CardPricesTable {
  card_id: string
  source: PriceSource
  variant: string
  currency: string
  market: Money
  low: Money
  mid: Money
  high: Money
  avg7: Money
  avg30: Money
  source_updated_at: MaybeTimestamp
  fetched_at: Timestamp
}

export interface CardPriceHistoryTable extends CardPricesTable {
  day: ColumnType<string, string, string>
}

export interface CardPriceChecksTable {
  card_id: string
  checked_at: Timestamp
  status: 'priced' | 'unpriced' | 'failed'
  error: string | null
}

export interface PriceRefreshRunsTable {
  id: Generated<string>
  status: 'running' | 'done' | 'failed' | 'abandoned'
  scope: string
  started_at: DefaultTimestamp
  heartbeat_at: DefaultTimestamp
  finished_at: MaybeTimestamp
  cards: Generated<number>
  requests: Generated<number>
  priced: Generated<number>
  failed: Generated<number>
  message: string | null
}

export interface CollectionValueSnapshotsTable {
  user_id: string
  currency: string
  day: ColumnType<string, string, string>
  value: ColumnType<string, string | number, string | number>
  priced_copies: number
  copies: number
}

export interface BindersTable {
  id: Generated<string>
  user_id: string
  name: string
  layout: BinderLayout
  pages: number
  set_id: string | null
  /** Where the set's first card goes, as a 0-based slot index over the whole binder. */
  set_offset: number | null
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

export interface BoxesTable {
  id: Generated<string>
  user_id: string
  name: string
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

/** Where copies of a collection row are: one copy in a binder slot, or some copies in a box. */
export interface CopyPlacesTable {
  id: Generated<string>
  user_id: string
  user_card_id: string
  binder_id: string | null
  page: number | null
  slot: number | null
  box_id: string | null
  quantity: Generated<number>
  placed_at: DefaultTimestamp
}

export interface WantsTable {
  id: Generated<string>
  user_id: string
  card_id: string
  /** The finish wanted; null when any will do. */
  finish: Finish | null
  quantity: number
  note: string | null
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

/** A photo import of binder pages: its photo i (in upload order) is page `first_page + i` of the binder. */
export interface BinderScansTable {
  batch_id: string
  user_id: string
  binder_id: string
  first_page: number
}

export type ShareKind = 'collection' | 'wants' | 'binder'

export interface SharesTable {
  id: Generated<string>
  user_id: string
  kind: ShareKind
  binder_id: string | null
  slug: string
  created_at: DefaultTimestamp
}

export interface Database {
  series: SeriesTable
  sets: SetsTable
  cards: CardsTable
  users: UsersTable
  api_tokens: ApiTokensTable
  import_batches: ImportBatchesTable
  import_images: ImportImagesTable
  card_drafts: CardDraftsTable
  user_cards: UserCardsTable
  card_prices: CardPricesTable
  card_price_history: CardPriceHistoryTable
  card_price_checks: CardPriceChecksTable
  price_refresh_runs: PriceRefreshRunsTable
  collection_value_snapshots: CollectionValueSnapshotsTable
  binders: BindersTable
  boxes: BoxesTable
  copy_places: CopyPlacesTable
  wants: WantsTable
  shares: SharesTable
  binder_scans: BinderScansTable
  analysis_jobs: AnalysisJobsTable
}

export type CardRow = Selectable<CardsTable>
export type SetRow = Selectable<SetsTable>
export type UserRow = Selectable<UsersTable>
export type UserCardRow = Selectable<UserCardsTable>
export type NewUserCard = Insertable<UserCardsTable>
export type UserCardUpdate = Updateable<UserCardsTable>
export type DraftRow = Selectable<CardDraftsTable>

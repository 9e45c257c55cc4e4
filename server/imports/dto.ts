import type { Selectable } from 'kysely'
import type {
  BatchStatus,
  DraftCandidate,
  DraftDto,
  DraftRead,
  DraftSelectInput,
  DraftStatus,
  ImageStatus,
  ImportImageDto,
} from '../../shared/schemas/imports'
import type { CardDraftsTable, ImportImagesTable } from '../database/schema'
import { toUserCard, type UserCard } from '../collection/items'

/** Draft columns read for the API: everything but the crop bytes, which only the crop route loads. */
export const DRAFT_COLUMNS = [
  'card_drafts.id',
  'card_drafts.batch_id',
  'card_drafts.image_id',
  'card_drafts.position',
  'card_drafts.quad',
  'card_drafts.read',
  'card_drafts.candidates',
  'card_drafts.confident',
  'card_drafts.status',
  'card_drafts.failure_reason',
  'card_drafts.selected_card_id',
  'card_drafts.user_card_id',
  'card_drafts.selection',
  'card_drafts.created_at',
] as const

export type DraftRow = Pick<Selectable<CardDraftsTable>,
  'id' | 'batch_id' | 'image_id' | 'position' | 'quad' | 'read' | 'candidates' | 'confident' | 'status'
  | 'failure_reason' | 'selected_card_id' | 'user_card_id' | 'selection' | 'created_at'> & { has_crop: boolean }

export type ImageRow = Selectable<ImportImagesTable>

// Timestamps come back as Date from pg (typed loosely by the schema's nested ColumnType).
export const iso = (value: unknown) => new Date(value as Date | string).toISOString()

// JSON columns come back parsed from Postgres and PGlite alike; accept a string too (other drivers).
function json<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as T
    }
    catch {
      return fallback
    }
  }
  return value as T
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null)
const int = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/** What was read, always in the full contract shape (a failed draft stores `{}`). */
export function toDraftRead(value: unknown): DraftRead {
  const r = json<Record<string, unknown>>(value, {})
  const raw = r.raw && typeof r.raw === 'object' ? r.raw as Record<string, string> : {}
  return {
    name: text(r.name),
    hp: int(r.hp),
    number: text(r.number),
    printedTotal: int(r.printedTotal),
    setCode: text(r.setCode),
    lang: text(r.lang),
    raw,
  }
}

export const cropUrlOf = (draftId: string) => `/api/imports/drafts/${draftId}/crop`
export const imageUrlOf = (imageId: string) => `/api/imports/images/${imageId}`

export function toDraftDto(row: DraftRow): DraftDto {
  return {
    id: row.id,
    batchId: row.batch_id,
    imageId: row.image_id,
    position: row.position,
    quad: json<[number, number][] | null>(row.quad, null),
    cropUrl: row.has_crop ? cropUrlOf(row.id) : null,
    read: toDraftRead(row.read),
    candidates: json<DraftCandidate[]>(row.candidates, []),
    confident: row.confident,
    status: row.status as DraftStatus,
    failureReason: row.failure_reason,
    selectedCardId: row.selected_card_id,
    userCardId: row.user_card_id,
    selection: json<(DraftSelectInput & Record<string, unknown>) | null>(row.selection, null),
    createdAt: iso(row.created_at),
  }
}

export function toImageDto(row: ImageRow): ImportImageDto {
  return {
    id: row.id,
    position: row.position,
    filename: row.filename,
    url: imageUrlOf(row.id),
    contentType: row.content_type,
    byteSize: row.byte_size,
    width: row.width,
    height: row.height,
    expiresAt: iso(row.expires_at),
    // 'receiving' never reaches the API: such a batch is not listed yet.
    status: row.status as ImageStatus,
    failureReason: row.failure_reason,
  }
}

export type UserCardDto = UserCard
export const toUserCardDto = toUserCard

export type { BatchStatus }

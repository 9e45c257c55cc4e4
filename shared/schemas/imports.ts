import { z } from 'zod'
import { collectionAddSchema } from './collection'

/** Body of `POST /api/imports/drafts/:id/select`: the copy to add, of any catalogue card (not only a candidate). */
export const draftSelectSchema = collectionAddSchema

/** Query of `GET /api/imports/batches`. */
export const batchListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
})

/** Query of `POST /api/imports/batches`: `wait` seconds for the analysis to finish (0: answer at once). */
export const UPLOAD_MAX_WAIT_SECONDS = 60
export const uploadQuerySchema = z.object({
  wait: z.coerce.number().min(0).max(UPLOAD_MAX_WAIT_SECONDS).default(0),
})

export type DraftSelectInput = z.infer<typeof draftSelectSchema>
export type BatchListQuery = z.infer<typeof batchListQuerySchema>

export const DRAFT_STATUSES = ['pending', 'selected', 'dismissed', 'failed'] as const
export type DraftStatus = (typeof DRAFT_STATUSES)[number]
/** `analyzing` until every photo is done; then `ready` (all read), `partial` (some failed) or `failed` (none read). */
export type BatchStatus = 'analyzing' | 'ready' | 'partial' | 'failed'
/** A photo waits (`queued`), is being read (`analyzing`), then has drafts (`analyzed`) or a reason (`failed`). */
export type ImageStatus = 'queued' | 'analyzing' | 'analyzed' | 'failed'

// The payloads the API answers (shared with the pages that show them).

/** What the analysis read on one card, and its ranked matches (the types of `server/recognition`). */
export type { Candidate as DraftCandidate, ReadText as DraftRead } from '../types/recognition'
import type { Candidate as DraftCandidate, ReadText as DraftRead } from '../types/recognition'

export interface DraftDto {
  id: string
  batchId: string
  imageId: string
  /** Order of the draft within its batch (photo order, then card order in the photo). */
  position: number
  /** Card corners in the photo's pixels (top-left, top-right, bottom-right, bottom-left), null when not found. */
  quad: [number, number][] | null
  /** The straightened card JPEG, kept with the draft after the photo expires; null when none. */
  cropUrl: string | null
  read: DraftRead
  candidates: DraftCandidate[]
  confident: boolean
  status: DraftStatus
  failureReason: string | null
  selectedCardId: string | null
  userCardId: string | null
  /** The copy fields sent with the select that added the card. */
  selection: (DraftSelectInput & Record<string, unknown>) | null
  createdAt: string
}

export interface ImportImageDto {
  id: string
  /** Position of the photo in the upload. */
  position: number
  filename: string | null
  /** The photo's bytes while they are kept (`GET` it; 410 once expired). */
  url: string
  contentType: string | null
  byteSize: number
  width: number | null
  height: number | null
  expiresAt: string
  status: ImageStatus
  /** Why the photo has no drafts of its own, in words for the user. */
  failureReason: string | null
}

export interface DraftCounts {
  pending: number
  selected: number
  dismissed: number
  failed: number
  total: number
}

export interface BatchDto {
  id: string
  status: BatchStatus
  createdAt: string
  images: ImportImageDto[]
  drafts: DraftDto[]
}

/** A batch's photos by progress: waiting or being read, read, failed. */
export interface ImageCounts {
  pending: number
  analyzed: number
  failed: number
}

export interface BatchSummaryDto {
  id: string
  status: BatchStatus
  createdAt: string
  imageCount: number
  images: ImageCounts
  drafts: DraftCounts
}

export interface BatchListDto {
  batches: BatchSummaryDto[]
  page: number
  pageSize: number
  total: number
}

import { CollectionError } from '../collection/add'
import { ImportError } from '../imports/errors'
import { ImageStoreUnavailableError } from '../storage/image-store'

/** Maps domain errors of the plain modules to HTTP errors; anything else is rethrown. */
export function toHttpError(error: unknown): never {
  if (error instanceof CollectionError) throw createError({ statusCode: error.statusCode, message: error.message })
  if (error instanceof ImportError) throw createError({ statusCode: error.statusCode, message: error.message })
  if (error instanceof ImageStoreUnavailableError) throw createError({ statusCode: 503, message: 'Photo storage is unavailable right now. Please try again in a moment.' })
  throw error
}

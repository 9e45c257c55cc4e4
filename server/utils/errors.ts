import { CollectionError } from '../collection/add'

/** Maps domain errors of the plain modules to HTTP errors; anything else is rethrown. */
export function toHttpError(error: unknown): never {
  if (error instanceof CollectionError) throw createError({ statusCode: error.statusCode, message: error.message })
  throw error
}

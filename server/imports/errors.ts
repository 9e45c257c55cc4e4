/** A refusal of the import service that the client can act on; the HTTP layer turns it into that status. */
export class ImportError extends Error {
  constructor(readonly statusCode: 400 | 404 | 409 | 410 | 413 | 415 | 422 | 503 | 507, message: string) {
    super(message)
    this.name = 'ImportError'
  }
}

export const notFound = (what: string) => new ImportError(404, `${what} not found`)

export const STORE_UNAVAILABLE_MESSAGE
  = 'Photo storage is unavailable right now, so nothing was imported. Please try again in a moment.'

import { IMPORT_MAX_BYTES } from '../collection/csv/import'
import { BodyTooLargeError, formatBytes, readCappedBody } from '../security/body-limit'
import { canonicalPath } from '../security/paths'

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
// Photo uploads stream their multipart body through their own per-file and per-upload caps.
const STREAMED = new Set(['/api/imports/batches'])
// h3's readRawBody (and so readBody, readMultipartFormData) takes a body already read from here.
const RAW_BODY = Symbol.for('h3RawBody')

function limitFor(path: string): { bytes: number, message?: string } {
  // The CSV file itself, plus its multipart framing.
  if (path === '/api/collection/import') return { bytes: IMPORT_MAX_BYTES + 64 * 1024, message: `The file is larger than ${formatBytes(IMPORT_MAX_BYTES)}` }
  return { bytes: Number(process.env.JSON_BODY_MAX_BYTES) || 1024 * 1024 }
}

/**
 * Bounds every request body while it is read, before any route or sign-in runs: ~1 MB for JSON
 * (JSON_BODY_MAX_BYTES), the CSV limit for a collection import. 413 past it, chunked bodies included.
 */
export default defineEventHandler(async (event) => {
  if (!BODY_METHODS.has(event.method)) return
  const path = canonicalPath(event.path)
  if (STREAMED.has(path)) return
  const req = event.node.req
  if (!Number(req.headers['content-length']) && !/\bchunked\b/i.test(String(req.headers['transfer-encoding'] ?? ''))) return
  const limit = limitFor(path)
  try {
    ;(req as unknown as Record<symbol, unknown>)[RAW_BODY] = await readCappedBody(req, limit.bytes)
  }
  catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw createError({ statusCode: 400, message: 'The request body could not be read' })
    // Node reads (and drops) the rest after the answer, so that a client still sending gets its 413
    // rather than a broken connection; for a second at most, then the connection is cut.
    event.node.res.once('finish', () => {
      if (req.complete) return
      const cut = setTimeout(() => req.socket.destroy(), 1000)
      req.once('end', () => clearTimeout(cut))
    })
    throw createError({ statusCode: 413, message: limit.message ?? error.message })
  }
})

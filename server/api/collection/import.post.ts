import type { H3Event } from 'h3'
import { collectionImportQuerySchema } from '~~/shared/schemas/collection'
import { CsvImportError, decodeCsvBytes, IMPORT_MAX_BYTES, importCollectionCsv } from '../../collection/csv/import'

defineRouteMeta({
  openAPI: {
    tags: ['Collection'],
    summary: 'Import a CSV: our export, Dragon Shield, ManaBox or TCGplayer (recognised by headers); all or nothing',
    description: 'Send multipart/form-data with a `file` field (and optionally `mode`), or the CSV itself as a `text/csv` body with `?mode=add|replace`. `replace` empties the collection first, in the same transaction. A bad line answers 422 `{ message, errors: [{ line, message }] }` and nothing is written. At most 5 MB (413).',
  },
})

const CSV_TYPES = new Set(['text/csv', 'text/plain', 'application/csv', 'text/comma-separated-values', 'application/vnd.ms-excel', 'application/octet-stream', ''])

function tooLarge() {
  return new CsvImportError(413, `The file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB`)
}

/**
 * The CSV bytes and the mode field, from a multipart upload or a raw CSV body (already bounded while
 * it was read: server/middleware/00.body-limit.ts).
 */
async function readUpload(event: H3Event): Promise<{ bytes: Uint8Array, mode?: string }> {
  const type = (getHeader(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()

  if (type === 'multipart/form-data') {
    const parts = await readMultipartFormData(event).catch(() => {
      throw new CsvImportError(400, 'Unreadable multipart body')
    })
    const file = parts?.find(p => p.name === 'file')
    if (!file) throw new CsvImportError(400, 'Send the CSV in a multipart field named "file"')
    const partType = (file.type ?? '').split(';')[0]!.trim().toLowerCase()
    if (!CSV_TYPES.has(partType)) throw new CsvImportError(415, `Expected a CSV file, got ${partType}`)
    const mode = parts!.find(p => p.name === 'mode')?.data.toString('utf8')
    return { bytes: file.data, mode }
  }
  if (!CSV_TYPES.has(type) || !type) throw new CsvImportError(415, 'Send a CSV file (multipart field "file") or a text/csv body')
  const body = await readRawBody(event, false)
  return { bytes: body ?? new Uint8Array() }
}

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const query = getQueryAs(event, collectionImportQuerySchema.partial())
  try {
    const upload = await readUpload(event)
    if (upload.bytes.byteLength > IMPORT_MAX_BYTES) throw tooLarge()
    const mode = collectionImportQuerySchema.safeParse({ mode: upload.mode || query.mode })
    if (!mode.success) throw new CsvImportError(400, 'mode must be "add" or "replace"')
    return await importCollectionCsv(await useDb(), user.id, decodeCsvBytes(upload.bytes), mode.data.mode)
  }
  catch (error) {
    if (!(error instanceof CsvImportError)) throw error
    if (!error.errors.length) throw createError({ statusCode: error.statusCode, message: error.message })
    // Line errors at the top level (the documented shape) and under `data` like any other h3 error.
    setResponseStatus(event, error.statusCode)
    return { statusCode: error.statusCode, message: error.message, errors: error.errors, data: { errors: error.errors } }
  }
})

import type { H3Event } from 'h3'
import { collectionImportQuerySchema } from '~~/shared/schemas/collection'
import { CsvImportError, decodeCsvBytes, IMPORT_MAX_BYTES, importCollectionCsv, previewCollectionCsv } from '../../collection/csv/import'

defineRouteMeta({
  openAPI: {
    tags: ['Collection'],
    summary: 'Import a CSV: our export, Cardmarket, Dragon Shield, ManaBox or TCGplayer (recognised by headers); all or nothing',
    description: 'Send multipart/form-data with a `file` field (and optionally `mode`), or the CSV itself as a `text/csv` body with `?mode=add|replace`. `replace` empties the collection first, in the same transaction. A bad line answers 422 `{ message, code, errors: [{ line, message, code, params }] }` and nothing is written, unless `skipInvalid=true`: then the other lines are imported and the bad ones listed in `rejected`. `dryRun=true` answers what the import would do — `{ added, merged, removed, rejected, rejectedCount, skipped }` — and writes nothing. At most 5 MB (413). `code` and `params` name each problem for a translated message.',
    parameters: [
      { in: 'query', name: 'mode', schema: { type: 'string', enum: ['add', 'replace'], default: 'add' } },
      { in: 'query', name: 'dryRun', schema: { type: 'boolean', default: false } },
      { in: 'query', name: 'skipInvalid', schema: { type: 'boolean', default: false } },
    ],
  },
})

const CSV_TYPES = new Set(['text/csv', 'text/plain', 'application/csv', 'text/comma-separated-values', 'application/vnd.ms-excel', 'application/octet-stream', ''])

function tooLarge() {
  const mb = IMPORT_MAX_BYTES / 1024 / 1024
  return new CsvImportError(413, `The file is larger than ${mb} MB`, [], 'tooLarge', { mb })
}

/**
 * The CSV bytes and the mode field, from a multipart upload or a raw CSV body (already bounded while
 * it was read: server/middleware/00.body-limit.ts).
 */
async function readUpload(event: H3Event): Promise<{ bytes: Uint8Array, mode?: string }> {
  const type = (getHeader(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()

  if (type === 'multipart/form-data') {
    const parts = await readMultipartFormData(event).catch(() => {
      throw new CsvImportError(400, 'Unreadable multipart body', [], 'unreadable')
    })
    const file = parts?.find(p => p.name === 'file')
    if (!file) throw new CsvImportError(400, 'Send the CSV in a multipart field named "file"', [], 'notCsv')
    const partType = (file.type ?? '').split(';')[0]!.trim().toLowerCase()
    if (!CSV_TYPES.has(partType)) throw new CsvImportError(415, `Expected a CSV file, got ${partType}`, [], 'notCsv')
    const mode = parts!.find(p => p.name === 'mode')?.data.toString('utf8')
    return { bytes: file.data, mode }
  }
  if (!CSV_TYPES.has(type) || !type) throw new CsvImportError(415, 'Send a CSV file (multipart field "file") or a text/csv body', [], 'notCsv')
  const body = await readRawBody(event, false)
  return { bytes: body ?? new Uint8Array() }
}

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const query = getQueryAs(event, collectionImportQuerySchema.partial())
  try {
    const upload = await readUpload(event)
    if (upload.bytes.byteLength > IMPORT_MAX_BYTES) throw tooLarge()
    const mode = collectionImportQuerySchema.shape.mode.safeParse(upload.mode || query.mode)
    if (!mode.success) throw new CsvImportError(400, 'mode must be "add" or "replace"', [], 'badMode')
    const text = decodeCsvBytes(upload.bytes)
    if (query.dryRun) return await previewCollectionCsv(await useDb(), user.id, text, mode.data)
    return await importCollectionCsv(await useDb(), user.id, text, mode.data, { skipInvalid: query.skipInvalid })
  }
  catch (error) {
    if (!(error instanceof CsvImportError)) throw error
    const problem = { code: error.code, params: error.params }
    if (!error.errors.length) throw createError({ statusCode: error.statusCode, message: error.message, data: problem })
    // Line errors at the top level (the documented shape) and under `data` like any other h3 error.
    setResponseStatus(event, error.statusCode)
    return { statusCode: error.statusCode, message: error.message, ...problem, errors: error.errors, data: { ...problem, errors: error.errors } }
  }
})

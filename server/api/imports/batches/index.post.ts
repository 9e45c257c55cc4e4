import { scanTargetQuerySchema } from '~~/shared/schemas/binders'
import { UPLOAD_MAX_WAIT_SECONDS, uploadQuerySchema } from '~~/shared/schemas/imports'
import { checkScanTarget, startScan } from '../../../binders/scan'
import { sniffImageType } from '../../../recognition'
import { getBatch, waitForBatch } from '../../../imports/batches'
import { ImportError } from '../../../imports/errors'
import { receiveUpload } from '../../../imports/receive'

defineRouteMeta({
  openAPI: {
    tags: ['Imports'],
    summary: 'Upload photos of cards: each photo is queued for analysis; each card found becomes a draft',
    description: 'Multipart field `files`, one or more images (checked by their bytes as they stream in). Answers '
      + '`202` at once with the batch (`status: "analyzing"`, each photo `queued`); `GET /api/imports/batches/{id}` '
      + 'then shows each photo\'s drafts as it finishes, and the batch `ready`, `partial` or `failed`. With `?wait=N` '
      + `(seconds, at most ${UPLOAD_MAX_WAIT_SECONDS}) the answer waits for the analysis: \`201\` with the finished batch, or \`202\` `
      + 'with the unfinished one when time runs out. Photos are kept for `IMAGE_TTL_SECONDS`. No files → 400; too many '
      + 'files or one too large → 413; a file that is not an image → 415; photo storage full → 507; photo storage or '
      + 'analysis queue unavailable → 503 (nothing is kept from a refused upload).',
    parameters: [
      { in: 'query', name: 'wait', required: false, schema: { type: 'number', minimum: 0, maximum: UPLOAD_MAX_WAIT_SECONDS, default: 0 }, description: 'Seconds to wait for the analysis to finish' },
      { in: 'query', name: 'binderId', required: false, schema: { type: 'string', format: 'uuid' }, description: 'The photos are pages of this binder (with `binderPage`): each card\'s pocket is read from where it lies, and selecting its draft puts it there (`GET /api/imports/batches/{id}/binder`)' },
      { in: 'query', name: 'binderPage', required: false, schema: { type: 'integer', minimum: 1 }, description: 'The binder page of the first photo; the next photos are the next pages' },
    ],
    requestBody: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } } },
            required: ['files'],
          },
        },
      },
    },
    responses: {
      201: { description: '`{ batch }`, finished (only with `?wait`): `status` `ready`, `partial` or `failed`, with its drafts' },
      202: { description: '`{ batch: { id, status: "analyzing", createdAt, images: [{ …, status: "queued" }], drafts: [] } }`' },
      400: { description: 'No files, or a `wait` out of range' },
      413: { description: 'Too many files, or a file over the size limit' },
      415: { description: 'A file is not an image' },
      503: { description: 'Photo storage (Redis) or the analysis queue unavailable; nothing was imported' },
      507: { description: 'Photo storage full (the user\'s share, or everyone\'s); nothing was imported' },
    },
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const { wait } = getQueryAs(event, uploadQuerySchema)
  const target = getQueryAs(event, scanTargetQuerySchema)
  const config = useServerConfig()
  const db = await useDb()
  try {
    // A binder page scan is checked before a byte is read: 404 for a binder not theirs, 422 past its pages.
    if (target.binderId) await checkScanTarget(db, user.id, target.binderId, target.binderPage!)
    const [queue, room] = await Promise.all([useQueue(), useStoreLimits()]).catch((error) => {
      console.error('[imports] analysis queue unavailable:', error instanceof Error ? error.message : error)
      throw new ImportError(503, 'The photo analysis is unavailable right now, so nothing was imported. Please try again in a moment.')
    })
    const batchId = await receiveUpload({
      db,
      store: useImageStore(),
      queue,
      ttlSeconds: config.imageTtlSeconds,
      limits: { maxFiles: config.uploadMaxFiles, maxFileBytes: config.uploadMaxFileBytes },
      room,
      sniff: sniffImageType,
      log: (message, error) => console.error(message, error),
    }, user.id, event.node.req)
    if (target.binderId) await startScan(db, user.id, batchId, target.binderId, target.binderPage!)
    const batch = wait > 0
      ? await waitForBatch(db, user.id, batchId, wait * 1000, shutdownSignal)
      : await getBatch(db, user.id, batchId)
    setResponseStatus(event, batch.status === 'analyzing' ? 202 : 201)
    return { batch }
  }
  catch (error) {
    toHttpError(error)
  }
})

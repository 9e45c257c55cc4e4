import { analyzePhoto, sniffImageType } from '../../../recognition'
import { createBatch } from '../../../imports/batches'
import { readUploadParts } from '../../../imports/multipart'
import { validateUpload } from '../../../imports/upload'

defineRouteMeta({
  openAPI: {
    tags: ['Imports'],
    summary: 'Upload photos of cards: each card found becomes a draft with ranked candidates',
    description: 'Multipart field `files`, one or more images (checked by their bytes). Every photo is kept for '
      + '`IMAGE_TTL_SECONDS` and analysed at once; a photo that cannot be analysed gets one failed draft. '
      + 'No files → 400; too many files or one too large → 413; a file that is not an image → 415 (nothing kept); '
      + 'photo storage unavailable → 503 (nothing written).',
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
      201: { description: '`{ batch: { id, status, createdAt, images: [...], drafts: [...] } }`' },
      400: { description: 'No files' },
      413: { description: 'Too many files, or a file over the size limit' },
      415: { description: 'A file is not an image' },
      503: { description: 'Photo storage (Redis) unavailable; nothing was imported' },
    },
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const config = useServerConfig()
  const limits = { maxFiles: config.uploadMaxFiles, maxFileBytes: config.uploadMaxFileBytes }
  try {
    // Every check on the whole upload happens before anything is stored.
    const photos = validateUpload(await readUploadParts(event, limits), limits, sniffImageType)
    const [index, ocr] = [await useCatalogIndex(), useOcrPool()]
    const batch = await createBatch({
      db: await useDb(),
      store: useImageStore(),
      analyze: bytes => analyzePhoto(bytes, {
        index,
        ocr,
        maxCandidates: config.analysisMaxCandidates,
        confidenceThreshold: config.analysisConfidenceThreshold,
        maxPixels: config.uploadMaxPixels,
      }),
      ttlSeconds: config.imageTtlSeconds,
      // OCR is the bottleneck: more photos at once than workers only adds decoded images in memory.
      concurrency: ocr.size,
      log: (message, error) => console.error(message, error),
    }, user.id, photos)
    setResponseStatus(event, 201)
    return { batch }
  }
  catch (error) {
    toHttpError(error)
  }
})

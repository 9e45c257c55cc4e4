import { readPhoto } from '../../../imports/images'

defineRouteMeta({
  openAPI: {
    tags: ['Imports'],
    summary: 'An uploaded photo\'s bytes (each read keeps it for another IMAGE_TTL_SECONDS)',
    parameters: [{ in: 'path', name: 'id', required: true, schema: { type: 'string', format: 'uuid' } }],
    responses: {
      200: { description: 'The photo, with its content type' },
      404: { description: 'Unknown photo, or another user\'s' },
      410: { description: 'The photo has expired (its drafts and crops remain)' },
      503: { description: 'Photo storage unavailable' },
    },
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  const config = useServerConfig()
  const photo = await readPhoto({ db: await useDb(), store: useImageStore(), ttlSeconds: config.imageTtlSeconds }, user.id, id).catch(toHttpError)
  return sendImageBytes(event, photo, 60)
})

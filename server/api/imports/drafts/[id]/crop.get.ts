import { getDraftCrop } from '../../../../imports/drafts'

defineRouteMeta({
  openAPI: {
    tags: ['Imports'],
    summary: 'The straightened card of a draft (JPEG), kept after the photo expires',
    parameters: [{ in: 'path', name: 'id', required: true, schema: { type: 'string', format: 'uuid' } }],
    responses: { 200: { description: 'image/jpeg' }, 404: { description: 'Unknown draft, another user\'s, or no crop' } },
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  const crop = await getDraftCrop(await useDb(), user.id, id).catch(toHttpError)
  // A draft's crop never changes.
  return sendImageBytes(event, crop, 86400, true)
})

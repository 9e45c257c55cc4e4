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
  try {
    // A draft's crop never changes.
    return sendImageBytes(event, await getDraftCrop(await useDb(), user.id, id), 86400, true)
  }
  catch (error) {
    toHttpError(error)
  }
})

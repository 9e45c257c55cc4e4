import { getBatch } from '../../../imports/batches'

defineRouteMeta({
  openAPI: {
    tags: ['Imports'],
    summary: 'One import batch with its photos and drafts',
    parameters: [{ in: 'path', name: 'id', required: true, schema: { type: 'string', format: 'uuid' } }],
    responses: { 200: { description: '`{ batch }`' }, 404: { description: 'Unknown batch, or another user\'s' } },
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  return { batch: await getBatch(await useDb(), user.id, id).catch(toHttpError) }
})

import { getDraft } from '../../../../imports/drafts'

defineRouteMeta({
  openAPI: {
    tags: ['Imports'],
    summary: 'One draft: where the card is in the photo, what was read, ranked candidates and status',
    parameters: [{ in: 'path', name: 'id', required: true, schema: { type: 'string', format: 'uuid' } }],
    responses: { 200: { description: '`{ draft }`' }, 404: { description: 'Unknown draft, or another user\'s' } },
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  return { draft: await getDraft(await useDb(), user.id, id).catch(toHttpError) }
})

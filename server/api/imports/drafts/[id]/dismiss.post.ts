import { dismissDraft } from '../../../../imports/drafts'

defineRouteMeta({
  openAPI: {
    tags: ['Imports'],
    summary: 'Set a draft aside without adding anything',
    parameters: [{ in: 'path', name: 'id', required: true, schema: { type: 'string', format: 'uuid' } }],
    responses: {
      200: { description: '`{ draft }`' },
      404: { description: 'Unknown draft, or another user\'s' },
      409: { description: 'The draft was already added to the collection' },
    },
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  return { draft: await dismissDraft(await useDb(), user.id, id).catch(toHttpError) }
})

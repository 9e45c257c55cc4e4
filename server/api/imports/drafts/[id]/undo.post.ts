import { undoDraftSelection } from '../../../../imports/undo'

defineRouteMeta({
  openAPI: {
    tags: ['Imports'],
    summary: 'Take back an added draft: its copies leave the collection and the draft is pending again',
    description: 'Removes the quantity the select added from the collection row it went into (the row goes when '
      + 'nothing is left) and puts the draft back to pending, in one transaction.',
    parameters: [{ in: 'path', name: 'id', required: true, schema: { type: 'string', format: 'uuid' } }],
    responses: {
      200: { description: '`{ draft }`' },
      404: { description: 'Unknown draft, or another user\'s' },
      409: { description: 'The draft is not added' },
    },
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  return { draft: await undoDraftSelection(await useDb(), user.id, id).catch(toHttpError) }
})

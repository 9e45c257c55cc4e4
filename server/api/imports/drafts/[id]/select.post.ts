import { draftSelectSchema } from '~~/shared/schemas/imports'
import { selectDraft } from '../../../../imports/drafts'

defineRouteMeta({
  openAPI: {
    tags: ['Imports'],
    summary: 'Add the draft\'s card to the collection (idempotent: a repeated select adds nothing)',
    description: '`cardId` may be any catalogue card, not only a candidate. Adds to the collection row of the same '
      + 'card, condition, language, finish and grading, and marks the draft selected, in one transaction.',
    parameters: [{ in: 'path', name: 'id', required: true, schema: { type: 'string', format: 'uuid' } }],
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['cardId'],
            properties: {
              cardId: { type: 'string' },
              quantity: { type: 'integer', minimum: 1, default: 1 },
              condition: { type: 'string', enum: ['NM', 'LP', 'MP', 'HP', 'DMG'], default: 'NM' },
              language: { type: 'string', default: 'en' },
              finish: { type: 'string', default: 'normal' },
            },
          },
        },
      },
    },
    responses: {
      200: { description: '`{ draft, userCard }`' },
      400: { description: 'Invalid body' },
      404: { description: 'Unknown draft, or another user\'s' },
      409: { description: 'The draft was dismissed' },
      422: { description: 'Unknown card id' },
    },
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  const input = await readBodyAs(event, draftSelectSchema)
  return await selectDraft(await useDb(), user.id, id, input).catch(toHttpError)
})

import { unplacedQuerySchema } from '~~/shared/schemas/binders'
import { listUnplaced } from '../../binders/unplaced'

defineRouteMeta({
  openAPI: {
    tags: ['Binders'],
    summary: 'The user\'s collection rows that have copies placed nowhere (what can go into a slot or a box); `unplaced` counts them',
    parameters: [
      { in: 'query', name: 'q', schema: { type: 'string' }, description: 'Card name in any language, or a card id' },
      { in: 'query', name: 'set', schema: { type: 'string' } },
      { in: 'query', name: 'page', schema: { type: 'integer', minimum: 1 } },
      { in: 'query', name: 'pageSize', schema: { type: 'integer', minimum: 1, maximum: 100 } },
    ],
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const query = getQueryAs(event, unplacedQuerySchema)
  return listUnplaced(await useDb(), user.id, query)
})

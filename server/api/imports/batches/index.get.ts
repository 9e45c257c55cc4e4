import { batchListQuerySchema } from '~~/shared/schemas/imports'
import { listBatches } from '../../../imports/batches'

defineRouteMeta({
  openAPI: {
    tags: ['Imports'],
    summary: 'The user\'s import batches, newest first, with draft counts per status',
    parameters: [
      { in: 'query', name: 'page', schema: { type: 'integer', minimum: 1, default: 1 } },
      { in: 'query', name: 'pageSize', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
    ],
    responses: { 200: { description: '`{ batches: [{ id, status, createdAt, imageCount, drafts: { pending, selected, dismissed, failed, total } }], page, pageSize, total }`' } },
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const query = getQueryAs(event, batchListQuerySchema)
  return listBatches(await useDb(), user.id, query)
})

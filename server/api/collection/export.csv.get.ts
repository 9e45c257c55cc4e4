import { collectionFilterSchema } from '~~/shared/schemas/collection'
import { exportCollection, exportFilename } from '../../collection/csv/export'

defineRouteMeta({
  openAPI: {
    tags: ['Collection'],
    summary: 'The collection as CSV (accepts the list filters); cells starting with = + - @ get a leading apostrophe',
    responses: { 200: { description: 'CSV file', content: { 'text/csv': {} } } },
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const filter = getQueryAs(event, collectionFilterSchema)
  const csv = await exportCollection(await useDb(), user.id, filter)
  setResponseHeaders(event, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${exportFilename()}"`,
    'cache-control': 'no-store',
  })
  return csv
})

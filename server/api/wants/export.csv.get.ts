import { getUserCurrency } from '../../prices/currency'
import { wantsFilename, wantsToCsv } from '../../wants/csv'
import { listWants } from '../../wants/wants'

defineRouteMeta({
  openAPI: {
    tags: ['Want list'],
    summary: 'The want list as CSV (card, quantity, finish, note, market price); cells starting with = + - @ get a leading apostrophe',
    responses: { 200: { description: 'CSV file', content: { 'text/csv': {} } } },
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const db = await useDb()
  const csv = wantsToCsv(await listWants(db, user.id, await getUserCurrency(db, user.id)))
  setResponseHeaders(event, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${wantsFilename()}"`,
    'cache-control': 'no-store',
  })
  return csv
})

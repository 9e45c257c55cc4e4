import { getScan } from '../../../../binders/scan'
import { getUserCurrency } from '../../../../prices/currency'

defineRouteMeta({
  openAPI: {
    tags: ['Imports'],
    summary: 'A binder page scan: each photo\'s binder page, the pocket (row, column, slot) of each draft read from where its card lies, and what the page holds now; 404 when the batch is not a scan',
    parameters: [{ in: 'path', name: 'id', required: true, schema: { type: 'string', format: 'uuid' } }],
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  const db = await useDb()
  const scan = await getScan(db, user.id, id, await getUserCurrency(db, user.id))
  if (!scan) throw createError({ statusCode: 404, message: 'This import is not a binder page scan' })
  return scan
})

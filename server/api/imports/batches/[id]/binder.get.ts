import { getScan } from '../../../../binders/scan'
import { getUserCurrency } from '../../../../prices/currency'

defineRouteMeta({
  openAPI: {
    tags: ['Imports'],
    summary: 'Whether a batch is a binder page scan: `{ scan }` with each photo\'s binder page, the pocket (row, column, slot) of each draft read from where its card lies, and what the page holds now; `{ scan: null }` for an ordinary import',
    parameters: [{ in: 'path', name: 'id', required: true, schema: { type: 'string', format: 'uuid' } }],
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  const db = await useDb()
  const batch = await db.selectFrom('import_batches').select('id').where('id', '=', id).where('user_id', '=', user.id).executeTakeFirst()
  if (!batch) throw createError({ statusCode: 404, message: 'Import batch not found' })
  return { scan: await getScan(db, user.id, id, await getUserCurrency(db, user.id)) }
})

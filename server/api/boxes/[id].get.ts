import { getBoxView } from '../../binders/binders'
import { getUserCurrency } from '../../prices/currency'

defineRouteMeta({ openAPI: { tags: ['Binders'], summary: 'A box with the copies in it' } })

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  const db = await useDb()
  const view = await getBoxView(db, user.id, id, await getUserCurrency(db, user.id))
  if (!view) throw createError({ statusCode: 404, message: 'Box not found' })
  return view
})

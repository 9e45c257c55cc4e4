import { binderPatchSchema } from '~~/shared/schemas/binders'
import { getBinderView, updateBinder } from '../../../binders/binders'
import { getUserCurrency } from '../../../prices/currency'

defineRouteMeta({
  openAPI: {
    tags: ['Binders'],
    summary: 'Rename a binder or change its pages or layout; 409 when cards would be left out (a page removed that holds cards, a new layout for a binder that is not empty)',
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  const patch = await readBodyAs(event, binderPatchSchema)
  const db = await useDb()
  await updateBinder(db, user.id, id, patch).catch(toHttpError)
  return getBinderView(db, id, user.id, await getUserCurrency(db, user.id))
})

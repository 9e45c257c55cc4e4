import { listBoxes } from '../../binders/binders'
import { getUserCurrency } from '../../prices/currency'

defineRouteMeta({ openAPI: { tags: ['Binders'], summary: 'The user\'s boxes (containers without slots) with the copies each holds and their value' } })

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const db = await useDb()
  return { boxes: await listBoxes(db, user.id, await getUserCurrency(db, user.id)) }
})

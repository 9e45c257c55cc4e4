import { collectionAddSchema } from '~~/shared/schemas/collection'
import { addCardToCollection } from '../../collection/add'
import { getUserCard } from '../../collection/items'

defineRouteMeta({
  openAPI: {
    tags: ['Collection'],
    summary: 'Add copies of a card (raises the quantity of the row of the same kind); 422 for an unknown card',
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const input = await readBodyAs(event, collectionAddSchema)
  const db = await useDb()
  const row = await addCardToCollection(db, user.id, input).catch(toHttpError)
  setResponseStatus(event, 201)
  return { item: await getUserCard(db, user.id, row.id) }
})

import { collectionAddSchema } from '~~/shared/schemas/collection'
import { addCardToCollection } from '../../collection/add'
import { getUserCard } from '../../collection/items'

defineRouteMeta({
  openAPI: {
    tags: ['Collection'],
    summary: 'Add copies of a card (raises the quantity of the row of the same kind); 422 for an unknown card or a finish it was not printed in',
    description: '`finish` must be one of the card\'s variants (`GET /api/cards/{id}`: normal, reverse, holo, firstEdition…); left out, the card\'s plain printing. A `pricePaid` (each) without `pricePaidCurrency` is in the user\'s currency.',
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

import { collectionListQuerySchema } from '~~/shared/schemas/collection'
import { placesOf } from '../../binders/places'
import { listCollection } from '../../collection/list'
import { getUserCurrency } from '../../prices/currency'

defineRouteMeta({
  openAPI: {
    tags: ['Collection'],
    summary: 'The signed-in user\'s collection, filtered, sorted and paged, with totals over the filter and where each row\'s copies are (`places`: binder slots and boxes)',
    parameters: [
      { in: 'query', name: 'set', schema: { type: 'string' }, description: 'Set id (`sv02`) or printed code (`PAL`)' },
      { in: 'query', name: 'q', schema: { type: 'string' }, description: 'Card name in any language (accents and case ignored), or a card id' },
      { in: 'query', name: 'language', schema: { type: 'string' } },
      { in: 'query', name: 'condition', schema: { type: 'string', enum: ['NM', 'LP', 'MP', 'HP', 'DMG'] } },
      { in: 'query', name: 'finish', schema: { type: 'string' } },
      { in: 'query', name: 'location', schema: { type: 'string' }, description: 'Binder or box name (case ignored)' },
      { in: 'query', name: 'minPrice', schema: { type: 'number', minimum: 0 }, description: 'Market price of one copy at least this, in the user\'s currency (unpriced copies left out)' },
      { in: 'query', name: 'maxPrice', schema: { type: 'number', minimum: 0 }, description: 'Market price of one copy at most this' },
      { in: 'query', name: 'sort', schema: { type: 'string', enum: ['updated', 'added', 'name', 'number', 'set', 'quantity', 'price', 'value'] }, description: '`price`: one copy\'s market price; `value`: price × quantity (unpriced last)' },
      { in: 'query', name: 'order', schema: { type: 'string', enum: ['asc', 'desc'] } },
      { in: 'query', name: 'page', schema: { type: 'integer', minimum: 1 } },
      { in: 'query', name: 'pageSize', schema: { type: 'integer', minimum: 1, maximum: 200 } },
    ],
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const query = getQueryAs(event, collectionListQuerySchema)
  const db = await useDb()
  const page = await listCollection(db, user.id, query, await getUserCurrency(db, user.id))
  const places = await placesOf(db, user.id, page.items.map(i => i.id))
  for (const item of page.items) item.places = places.get(item.id) ?? []
  return page
})

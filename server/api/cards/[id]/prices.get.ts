import { findCardByParam } from '../../../catalog/browse'
import { getCardPrices } from '../../../prices/card-prices'

defineRouteMeta({
  openAPI: {
    tags: ['Prices'],
    summary: 'A card\'s market prices per source and variant (Cardmarket EUR, TCGplayer USD), when they were fetched, and the last 90 days',
    description: 'Prices are fetched in the background for cards someone owns; `status` is null for a card never asked for, `unpriced` when TCGdex has no price for it. Public.',
    parameters: [{ in: 'path', name: 'id', required: true, schema: { type: 'string' }, example: 'sv02-012' }],
  },
})

export default defineEventHandler(async (event) => {
  const db = await useDb()
  const card = await findCardByParam(db, getRouterParam(event, 'id') ?? '')
  if (!card) throw createError({ statusCode: 404, message: 'Card not found' })
  return getCardPrices(db, card.id)
})

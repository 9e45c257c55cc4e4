import { catalogLangQuerySchema } from '~~/shared/schemas/catalog'
import type { CollectionValue } from '~~/shared/schemas/prices'
import { getUserCurrency } from '../../prices/currency'
import { refreshState } from '../../prices/runs'
import { getCollectionValue } from '../../prices/value'

defineRouteMeta({
  openAPI: {
    tags: ['Prices'],
    summary: 'What the collection is worth in the user\'s currency: total, per set, most valuable copies, biggest movers, cost against worth',
    description: 'Each copy is valued at the latest market price of its card in its own finish (Cardmarket trend in EUR, TCGplayer market price in USD). Graded copies are counted but not valued (the market data is for raw cards). `pricesFetchedAt` is the oldest fetch among the prices used.',
    parameters: [{ in: 'query', name: 'lang', schema: { type: 'string', enum: ['en', 'fr', 'de', 'es', 'it', 'pt'] } }],
  },
})

export default defineEventHandler(async (event): Promise<CollectionValue> => {
  const user = await requireUser(event)
  const { lang } = getQueryAs(event, catalogLangQuerySchema)
  const db = await useDb()
  const currency = await getUserCurrency(db, user.id)
  const [value, state] = await Promise.all([getCollectionValue(db, user.id, currency, { lang }), refreshState(db)])
  return {
    ...value,
    source: usePricesConfig().source,
    refreshing: state.running,
    lastRefresh: state.last && { status: state.last.status, startedAt: state.last.startedAt, finishedAt: state.last.finishedAt },
  }
})

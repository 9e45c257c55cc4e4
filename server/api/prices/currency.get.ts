import { getUserCurrency } from '../../prices/currency'

defineRouteMeta({
  openAPI: { tags: ['Prices'], summary: 'The currency the collection is valued in: EUR (Cardmarket prices) or USD (TCGplayer prices)' },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  return { currency: await getUserCurrency(await useDb(), user.id) }
})

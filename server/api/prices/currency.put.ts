import { currencySettingSchema } from '~~/shared/schemas/prices'
import { setUserCurrency } from '../../prices/currency'

defineRouteMeta({
  openAPI: {
    tags: ['Prices'],
    summary: 'Choose the currency the collection is valued in: `{ "currency": "EUR" }` (Cardmarket) or `"USD"` (TCGplayer)',
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const { currency } = await readBodyAs(event, currencySettingSchema)
  await setUserCurrency(await useDb(), user.id, currency)
  return { currency }
})

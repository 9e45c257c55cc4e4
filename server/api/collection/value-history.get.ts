import { valueHistoryQuerySchema } from '~~/shared/schemas/prices'
import { getUserCurrency } from '../../prices/currency'
import { getValueHistory } from '../../prices/value'

defineRouteMeta({
  openAPI: {
    tags: ['Prices'],
    summary: 'The collection\'s value day by day (daily snapshots, ending with today\'s value), in the user\'s currency',
    parameters: [{ in: 'query', name: 'days', schema: { type: 'integer', minimum: 7, maximum: 3660, default: 90 } }],
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const { days } = getQueryAs(event, valueHistoryQuerySchema)
  const db = await useDb()
  return getValueHistory(db, user.id, await getUserCurrency(db, user.id), days)
})

import { wantListQuerySchema } from '~~/shared/schemas/wants'
import { getUserCurrency } from '../../prices/currency'
import { listWants } from '../../wants/wants'

defineRouteMeta({
  openAPI: {
    tags: ['Want list'],
    summary: 'The want list, with each card\'s market price (the finish wanted, else its plain printing) and the total, in the user\'s currency',
    parameters: [
      { in: 'query', name: 'sort', schema: { type: 'string', enum: ['set', 'added', 'name', 'price'] } },
      { in: 'query', name: 'lang', schema: { type: 'string', enum: ['en', 'fr', 'de', 'es', 'it', 'pt'] } },
    ],
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const { sort, lang } = getQueryAs(event, wantListQuerySchema)
  const db = await useDb()
  return listWants(db, user.id, await getUserCurrency(db, user.id), { sort, lang })
})

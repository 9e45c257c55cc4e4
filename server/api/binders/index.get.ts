import { catalogLangQuerySchema } from '~~/shared/schemas/catalog'
import { listBinders } from '../../binders/binders'
import { getUserCurrency } from '../../prices/currency'

defineRouteMeta({
  openAPI: {
    tags: ['Binders'],
    summary: 'The user\'s binders, with how many slots each has and fills and what its cards are worth',
    parameters: [{ in: 'query', name: 'lang', schema: { type: 'string', enum: ['en', 'fr', 'de', 'es', 'it', 'pt'] } }],
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const { lang } = getQueryAs(event, catalogLangQuerySchema)
  const db = await useDb()
  return { binders: await listBinders(db, user.id, await getUserCurrency(db, user.id), lang) }
})

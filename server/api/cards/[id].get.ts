import { catalogLangQuerySchema } from '~~/shared/schemas/catalog'
import { findCardByParam, getCardDetail } from '../../catalog/browse'

defineRouteMeta({
  openAPI: {
    tags: ['Catalogue'],
    summary: 'One catalogue card with its set (and the signed-in user\'s owned quantity)',
    parameters: [
      { in: 'path', name: 'id', required: true, schema: { type: 'string' }, example: 'sv02-012' },
      { in: 'query', name: 'lang', schema: { type: 'string', enum: ['en', 'fr', 'de', 'es', 'it', 'pt'] } },
    ],
  },
})

export default defineEventHandler(async (event) => {
  const { lang } = getQueryAs(event, catalogLangQuerySchema)
  const user = await optionalUser(event)
  const db = await useDb()
  const found = await findCardByParam(db, getRouterParam(event, 'id') ?? '')
  const card = found && await getCardDetail(db, found.id, user?.id ?? null, lang)
  if (!card) throw createError({ statusCode: 404, message: 'Card not found' })
  return { card }
})

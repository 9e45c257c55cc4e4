import { catalogLangQuerySchema } from '~~/shared/schemas/catalog'
import { getSetDetail } from '../../catalog/browse'

defineRouteMeta({
  openAPI: {
    tags: ['Catalogue'],
    summary: 'A set with its cards and the signed-in user\'s completion (null when anonymous)',
    parameters: [
      { in: 'path', name: 'id', required: true, schema: { type: 'string' }, example: 'sv02' },
      { in: 'query', name: 'lang', schema: { type: 'string', enum: ['en', 'fr', 'de', 'es', 'it', 'pt'] } },
    ],
  },
})

export default defineEventHandler(async (event) => {
  // Set ids are plain ASCII (`sv02`, `swsh12.5`): no decoding needed, and none to fail.
  const id = getRouterParam(event, 'id') ?? ''
  const { lang } = getQueryAs(event, catalogLangQuerySchema)
  const user = await optionalUser(event)
  const detail = id.length <= 64 && !id.includes('\0') ? await getSetDetail(await useDb(), id, user?.id ?? null, lang) : null
  if (!detail) throw createError({ statusCode: 404, message: 'Set not found' })
  return detail
})

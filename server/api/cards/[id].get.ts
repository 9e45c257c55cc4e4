import { catalogLangQuerySchema } from '~~/shared/schemas/catalog'
import { getCardDetail } from '../../catalog/browse'

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

/** A malformed escape (`%E0%A4%A`) names no card: keep the text as is rather than failing. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  }
  catch {
    return text
  }
}

export default defineEventHandler(async (event) => {
  // A few TCGdex ids hold an escape themselves (`exu-%3F` is the Unown "?"): try the id as
  // received, decoded, and escaped again.
  const raw = getRouterParam(event, 'id') ?? ''
  const decoded = safeDecode(raw)
  const ids = [...new Set([raw, decoded, encodeURIComponent(decoded)])].filter(id => id && id.length <= 64 && !id.includes('\0'))
  const { lang } = getQueryAs(event, catalogLangQuerySchema)
  const user = await optionalUser(event)
  const db = await useDb()
  let card = null
  for (const id of ids) {
    card = await getCardDetail(db, id, user?.id ?? null, lang)
    if (card) break
  }
  if (!card) throw createError({ statusCode: 404, message: 'Card not found' })
  return { card }
})

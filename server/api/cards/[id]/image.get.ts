import { z } from 'zod'
import { CATALOG_LANGUAGES } from '~~/shared/schemas/catalog'
import { IMAGE_SIZES } from '../../../card-images/urls'
import { findCardByParam } from '../../../catalog/browse'

defineRouteMeta({
  openAPI: {
    tags: ['Catalogue'],
    summary: 'A card\'s picture, fetched from TCGdex once and then served from the app\'s disk cache',
    description: 'The picture in `lang` when the card exists in it, else in English. 404 while no picture can be had (offline, or TCGdex has none): show a placeholder. Long-lived, with an ETag.',
    parameters: [
      { in: 'path', name: 'id', required: true, schema: { type: 'string' }, example: 'sv02-012' },
      { in: 'query', name: 'size', schema: { type: 'string', enum: ['low', 'high'], default: 'low' }, description: 'low: 245 × 337, high: 600 × 825' },
      { in: 'query', name: 'lang', schema: { type: 'string', enum: ['en', 'fr', 'de', 'es', 'it', 'pt'], default: 'en' } },
    ],
    responses: { 200: { description: 'image/webp', content: { 'image/webp': {} } }, 304: { description: 'Not modified' }, 404: { description: 'Unknown card, or no picture available right now' } },
  },
})

const querySchema = z.object({
  size: z.enum(IMAGE_SIZES).default('low'),
  lang: z.enum(CATALOG_LANGUAGES).default('en'),
})

export default defineEventHandler(async (event) => {
  const { size, lang } = getQueryAs(event, querySchema)
  const card = await findCardByParam(await useDb(), getRouterParam(event, 'id') ?? '')
  if (!card) throw createError({ statusCode: 404, message: 'Card not found' })
  const image = card.seriesId ? await useCardImages().get({ ...card, seriesId: card.seriesId }, lang, size) : null
  if (!image) {
    // Answered (not thrown, which would reset the headers) so that browsers ask again in a few minutes at most.
    setResponseStatus(event, 404)
    setResponseHeader(event, 'cache-control', 'public, max-age=300')
    return { statusCode: 404, message: 'No picture of this card is available right now' }
  }
  setResponseHeaders(event, {
    'etag': image.etag,
    // A card's picture does not change: a month in any cache, then revalidated with the ETag.
    'cache-control': 'public, max-age=2592000, stale-while-revalidate=86400',
    'x-content-type-options': 'nosniff',
  })
  const known = (getRequestHeader(event, 'if-none-match') ?? '').split(',').map(t => t.trim().replace(/^W\//, ''))
  if (known.includes(image.etag)) {
    setResponseStatus(event, 304)
    return null
  }
  setResponseHeaders(event, { 'content-type': image.contentType, 'content-length': image.bytes.length })
  return image.bytes
})

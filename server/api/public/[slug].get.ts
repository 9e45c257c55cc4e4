import { publicQuerySchema } from '~~/shared/schemas/shares'
import { getPublicPage } from '../../public/pages'

defineRouteMeta({
  openAPI: {
    tags: ['Sharing'],
    summary: 'A published collection, want list or binder, read-only, for anyone with the link (no sign-in); 404 once the link is revoked or replaced',
    parameters: [
      { in: 'path', name: 'slug', required: true, schema: { type: 'string' } },
      { in: 'query', name: 'q', schema: { type: 'string' }, description: 'Collection only: card name' },
      { in: 'query', name: 'set', schema: { type: 'string' }, description: 'Collection only: set id' },
      { in: 'query', name: 'page', schema: { type: 'integer', minimum: 1 } },
      { in: 'query', name: 'lang', schema: { type: 'string', enum: ['en', 'fr', 'de', 'es', 'it', 'pt'] } },
    ],
  },
})

// Nobody signs in here: the slug is the only key, and what it shows is only what was published.
export default defineEventHandler(async (event) => {
  const query = getQueryAs(event, publicQuerySchema)
  const page = await getPublicPage(await useDb(), getRouterParam(event, 'slug') ?? '', query)
  if (!page) throw createError({ statusCode: 404, message: 'This link does not exist or is no longer shared' })
  return page
})

import { setListQuerySchema } from '~~/shared/schemas/catalog'
import { listSets } from '../../catalog/browse'

defineRouteMeta({
  openAPI: {
    tags: ['Catalogue'],
    summary: 'Every set, newest first (with the distinct cards the signed-in user owns in each)',
    parameters: [
      { in: 'query', name: 'serie', description: 'Serie id, e.g. sv', schema: { type: 'string' } },
      { in: 'query', name: 'q', description: 'Set code, id or part of a name in any language', schema: { type: 'string' } },
      { in: 'query', name: 'lang', schema: { type: 'string', enum: ['en', 'fr', 'de', 'es', 'it', 'pt'] } },
    ],
  },
})

export default defineEventHandler(async (event) => {
  const query = getQueryAs(event, setListQuerySchema)
  const user = await optionalUser(event)
  return { sets: await listSets(await useDb(), query, user?.id ?? null) }
})

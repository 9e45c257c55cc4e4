import { cardSearchQuerySchema } from '~~/shared/schemas/catalog'
import { searchCards } from '../../catalog/search'

defineRouteMeta({
  openAPI: {
    tags: ['Catalogue'],
    summary: 'Search the card catalogue',
    description: 'One search box: a name in any language, typos allowed ("Dracaufeu", "charizrd"), a collector number '
      + '("12/193"), a set code with a number ("PAL 12", "PAL FR 012/193"), a card id ("sv02-012") or a local id ("TG05"). Public.',
    parameters: [
      { in: 'query', name: 'q', description: 'Up to 100 characters', schema: { type: 'string' } },
      { in: 'query', name: 'set', description: 'Set id, e.g. sv02', schema: { type: 'string' } },
      { in: 'query', name: 'lang', description: 'Only cards named in this language, shown in it', schema: { type: 'string', enum: ['en', 'fr', 'de', 'es', 'it', 'pt'] } },
      { in: 'query', name: 'page', schema: { type: 'integer', minimum: 1, default: 1 } },
      { in: 'query', name: 'pageSize', schema: { type: 'integer', minimum: 1, maximum: 100, default: 24 } },
    ],
  },
})

export default defineEventHandler(async (event) => {
  const query = getQueryAs(event, cardSearchQuerySchema)
  return searchCards(await useDb(), query)
})

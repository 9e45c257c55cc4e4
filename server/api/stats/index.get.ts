import { statsQuerySchema } from '~~/shared/schemas/stats'
import { getStats } from '../../stats/stats'

defineRouteMeta({
  openAPI: {
    tags: ['Collection'],
    summary: 'Collection statistics: copies by set, serie, rarity, type, language and finish; copies added per month; duplicates; set completion ranked',
    parameters: [{ in: 'query', name: 'lang', schema: { type: 'string', enum: ['en', 'fr', 'de', 'es', 'it', 'pt'] } }],
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const { lang } = getQueryAs(event, statsQuerySchema)
  return getStats(await useDb(), user.id, { lang })
})

import { z } from 'zod'

defineRouteMeta({
  openAPI: {
    tags: ['Catalogue'],
    summary: 'The variants (finishes a copy can have) of up to 100 cards at once: `?ids=sv02-012,base1-4`',
    parameters: [{ in: 'query', name: 'ids', required: true, schema: { type: 'string' }, description: 'Comma-separated card ids' }],
  },
})

const querySchema = z.object({
  ids: z.string().trim().min(1).max(100 * 65).transform(v => [...new Set(v.split(',').map(s => s.trim()).filter(Boolean))]).pipe(z.array(z.string().max(64)).min(1).max(100)),
})

export default defineEventHandler(async (event) => {
  const { ids } = getQueryAs(event, querySchema)
  const rows = await (await useDb()).selectFrom('cards').select(['id', 'variants']).where('id', 'in', ids).execute()
  return { variants: Object.fromEntries(rows.map(r => [r.id, r.variants])) }
})

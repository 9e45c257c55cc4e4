import { catalogLangQuerySchema } from '~~/shared/schemas/catalog'
import { getBinderView } from '../../../binders/binders'
import { getUserCurrency } from '../../../prices/currency'

defineRouteMeta({
  openAPI: {
    tags: ['Binders'],
    summary: 'A binder with every filled slot (page, slot, the copy and its card) and, for a set binder, the card each slot is meant for',
    description: 'Slots are numbered from 1 in reading order (left to right, then top to bottom) on each page. `expected` lists a set binder\'s cards by 0-based slot index over the whole binder: `(page - 1) × slots per page + slot - 1`.',
    parameters: [{ in: 'query', name: 'lang', schema: { type: 'string', enum: ['en', 'fr', 'de', 'es', 'it', 'pt'] } }],
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  const { lang } = getQueryAs(event, catalogLangQuerySchema)
  const db = await useDb()
  const view = await getBinderView(db, id, user.id, await getUserCurrency(db, user.id), lang)
  if (!view) throw createError({ statusCode: 404, message: 'Binder not found' })
  return view
})

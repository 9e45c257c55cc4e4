import { binderCreateSchema } from '~~/shared/schemas/binders'
import { createBinder, listBinders } from '../../binders/binders'
import { getUserCurrency } from '../../prices/currency'

defineRouteMeta({
  openAPI: {
    tags: ['Binders'],
    summary: 'Create a binder: a name, a page layout (3x3, 3x4 or 2x2: columns × rows) and a number of pages (1–200)',
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const input = await readBodyAs(event, binderCreateSchema)
  const db = await useDb()
  const id = await createBinder(db, user.id, input)
  setResponseStatus(event, 201)
  return { binder: (await listBinders(db, user.id, await getUserCurrency(db, user.id))).find(b => b.id === id) }
})

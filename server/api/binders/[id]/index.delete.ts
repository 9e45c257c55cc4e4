import { deleteBinder } from '../../../binders/binders'

defineRouteMeta({
  openAPI: { tags: ['Binders'], summary: 'Delete a binder; its cards stay in the collection, placed nowhere, and its public link stops working' },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  if (!await deleteBinder(await useDb(), user.id, id)) throw createError({ statusCode: 404, message: 'Binder not found' })
  return { ok: true }
})

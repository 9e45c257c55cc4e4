import { deleteBox } from '../../binders/binders'

defineRouteMeta({ openAPI: { tags: ['Binders'], summary: 'Delete a box; its cards stay in the collection, placed nowhere' } })

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  if (!await deleteBox(await useDb(), user.id, id)) throw createError({ statusCode: 404, message: 'Box not found' })
  return { ok: true }
})

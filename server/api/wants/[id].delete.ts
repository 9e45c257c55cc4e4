import { deleteWant } from '../../wants/wants'

defineRouteMeta({ openAPI: { tags: ['Want list'], summary: 'Remove an entry from the want list' } })

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  if (!await deleteWant(await useDb(), user.id, id)) throw createError({ statusCode: 404, message: 'Want list entry not found' })
  return { ok: true }
})

import { deleteUserCard } from '../../collection/update'

defineRouteMeta({
  openAPI: { tags: ['Collection'], summary: 'Delete a row; the answer carries it so a client can undo by POSTing it back' },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  const item = await deleteUserCard(await useDb(), user.id, id)
  if (!item) throw createError({ statusCode: 404, message: 'Collection row not found' })
  return { ok: true, item }
})

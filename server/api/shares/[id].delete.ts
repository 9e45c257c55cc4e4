import { revoke } from '../../shares/shares'

defineRouteMeta({ openAPI: { tags: ['Sharing'], summary: 'Stop sharing: the public link answers 404 from now on' } })

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  if (!await revoke(await useDb(), user.id, id)) throw createError({ statusCode: 404, message: 'Share not found' })
  return { ok: true }
})

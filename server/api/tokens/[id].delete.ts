defineRouteMeta({ openAPI: { tags: ['Tokens'], summary: 'Revoke an API token' } })

export default defineEventHandler(async (event) => {
  const user = await requireSessionUser(event)
  const id = getUuidParam(event)
  const res = await (await useDb()).deleteFrom('api_tokens')
    .where('id', '=', id).where('user_id', '=', user.id)
    .executeTakeFirst()
  if (!res.numDeletedRows) throw createError({ statusCode: 404, message: 'Token not found' })
  return { ok: true }
})

defineRouteMeta({ openAPI: { tags: ['Tokens'], summary: 'The user\'s API tokens (without secrets)' } })

export default defineEventHandler(async (event) => {
  const user = await requireSessionUser(event)
  const tokens = await (await useDb()).selectFrom('api_tokens')
    .select(['id', 'name', 'token_prefix as prefix', 'created_at as createdAt', 'last_used_at as lastUsedAt'])
    .where('user_id', '=', user.id)
    .orderBy('created_at', 'desc')
    .execute()
  return { tokens }
})

import { tokenCreateSchema } from '~~/shared/schemas/auth'
import { generateApiToken } from '../../auth/tokens'

defineRouteMeta({ openAPI: { tags: ['Tokens'], summary: 'Create a personal API token (the secret is shown once)' } })

export default defineEventHandler(async (event) => {
  const user = await requireSessionUser(event)
  const input = await readBodyAs(event, tokenCreateSchema)
  const { token, hash, prefix } = generateApiToken()
  const row = await (await useDb()).insertInto('api_tokens')
    .values({ user_id: user.id, name: input.name, token_hash: hash, token_prefix: prefix })
    .returning(['id', 'name', 'token_prefix as prefix', 'created_at as createdAt', 'last_used_at as lastUsedAt'])
    .executeTakeFirstOrThrow()
  setResponseStatus(event, 201)
  return { token: { ...row, secret: token } }
})

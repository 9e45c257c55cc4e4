import { PASSWORD_RULE_MESSAGES, registerSchema } from '~~/shared/schemas/auth'
import { isCommonPassword } from '../../auth/password-policy'
import { createUser } from '../../auth/users'

defineRouteMeta({
  openAPI: {
    tags: ['Auth'],
    summary: 'Create an account; then sign in with it',
    description: 'Answers 202 alike whether the address was free (the account is created) or already has an account (nothing changes), so that the answer does not tell which addresses have accounts. The client then signs in with the same e-mail and password (POST /api/auth/login).',
    responses: { 202: { description: 'Accepted: sign in next' } },
  },
})

export default defineEventHandler(async (event) => {
  const input = await readBodyAs(event, registerSchema)
  if (isCommonPassword(input.password)) throw invalidField('password', PASSWORD_RULE_MESSAGES.common)
  // Hashed in both cases, so that a taken address does not answer faster.
  await createUser(await useDb(), { email: input.email, name: input.name, passwordHash: await hashPassword(input.password) })
  setResponseStatus(event, 202)
  return { ok: true, message: 'If this address had no account, it has one now: sign in with it.' }
})

import { registerSchema } from '~~/shared/schemas/auth'
import { createUser } from '../../auth/users'

defineRouteMeta({ openAPI: { tags: ['Auth'], summary: 'Create an account and sign in' } })

export default defineEventHandler(async (event) => {
  const input = await readBodyAs(event, registerSchema)
  const user = await createUser(await useDb(), {
    email: input.email,
    name: input.name,
    passwordHash: await hashPassword(input.password),
  })
  if (!user) throw createError({ statusCode: 409, message: 'An account with this e-mail address already exists' })
  await replaceUserSession(event, { user, loggedInAt: Date.now() })
  setResponseStatus(event, 201)
  return { user }
})

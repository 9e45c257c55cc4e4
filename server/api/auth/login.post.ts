import { credentialsSchema } from '~~/shared/schemas/auth'
import { findUserByEmail } from '../../auth/users'

defineRouteMeta({ openAPI: { tags: ['Auth'], summary: 'Sign in with e-mail and password' } })

// Verifying against a real hash when the user is unknown keeps both answers equally slow.
let dummyHash: Promise<string> | undefined

export default defineEventHandler(async (event) => {
  const input = await readBodyAs(event, credentialsSchema)
  const row = await findUserByEmail(await useDb(), input.email)
  dummyHash ??= hashPassword('not-a-real-password')
  const valid = await verifyPassword(row?.password_hash ?? await dummyHash, input.password)
  if (!row || !valid) throw createError({ statusCode: 401, message: 'Wrong e-mail address or password' })
  const user = { id: row.id, email: row.email, name: row.name }
  await startSession(event, user, row.session_version)
  return { user }
})

import { PASSWORD_RULE_MESSAGES, passwordChangeSchema } from '~~/shared/schemas/auth'
import { isCommonPassword } from '../../auth/password-policy'
import { endSessions } from '../../auth/users'

defineRouteMeta({
  openAPI: {
    tags: ['Auth'],
    summary: 'Change the password (session only); every other session ends',
    description: 'Needs the current password. API tokens cannot call it (403), and are not revoked by it.',
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireSessionUser(event)
  const input = await readBodyAs(event, passwordChangeSchema(user.email))
  if (isCommonPassword(input.newPassword)) throw invalidField('newPassword', PASSWORD_RULE_MESSAGES.common)
  const db = await useDb()
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirst()
  if (!row || !await verifyPassword(row.password_hash, input.currentPassword)) {
    throw invalidField('currentPassword', 'The current password is wrong')
  }
  const version = await endSessions(db, user.id, await hashPassword(input.newPassword))
  await startSession(event, user, version)
  return { ok: true }
})

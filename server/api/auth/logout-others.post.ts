import { endSessions } from '../../auth/users'

defineRouteMeta({
  openAPI: { tags: ['Auth'], summary: 'Sign out everywhere else: every session but this one ends (session only)' },
})

export default defineEventHandler(async (event) => {
  const user = await requireSessionUser(event)
  const version = await endSessions(await useDb(), user.id)
  await startSession(event, user, version)
  return { ok: true }
})

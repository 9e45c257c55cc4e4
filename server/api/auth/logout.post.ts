defineRouteMeta({ openAPI: { tags: ['Auth'], summary: 'Sign out' } })

export default defineEventHandler(async (event) => {
  await clearUserSession(event)
  return { ok: true }
})

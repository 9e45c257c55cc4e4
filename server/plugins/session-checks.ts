/**
 * nuxt-auth-utils' own `GET /api/_auth/session` (what pages read to know who is signed in) answers
 * from the cookie alone: an expired or ended session is cleared there too, and shown as signed out.
 */
export default defineNitroPlugin(() => {
  sessionHooks.hook('fetch', async (session, event) => {
    try {
      await sessionUser(event)
    }
    catch {
      for (const key of Object.keys(session)) if (key !== 'id') delete session[key]
    }
  })
})

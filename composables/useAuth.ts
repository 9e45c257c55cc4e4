/** Sign-in, sign-up and sign-out around nuxt-auth-utils' session (the cookie is set by our own routes). */
export function useAuth() {
  const session = useUserSession()

  async function signIn(body: { email: string, password: string }) {
    await $fetch('/api/auth/login', { method: 'POST', body })
    await session.fetch()
  }

  async function signUp(body: { email: string, password: string, name: string }) {
    await $fetch('/api/auth/register', { method: 'POST', body })
    await session.fetch()
  }

  async function signOut() {
    await $fetch('/api/auth/logout', { method: 'POST' })
    await session.fetch()
    await navigateTo('/login')
  }

  return { user: session.user, loggedIn: session.loggedIn, signIn, signUp, signOut }
}

/** Only same-site paths are followed after sign-in (no open redirect to `//evil.example`). */
export function safeRedirect(value: unknown, fallback = '/'): string {
  const path = Array.isArray(value) ? value[0] : value
  return typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\') ? path : fallback
}

/** Sign-in, sign-up and sign-out around nuxt-auth-utils' session (the cookie is set by our own routes). */
export function useAuth() {
  const session = useUserSession()

  async function signIn(body: { email: string, password: string }) {
    await $fetch('/api/auth/login', { method: 'POST', body })
    await session.fetch()
  }

  /**
   * The server answers sign-up alike for a free and a taken address (so that it tells nobody which
   * addresses have accounts); signing in with the same credentials is what proves the account.
   */
  async function signUp(body: { email: string, password: string, name: string }) {
    await $fetch('/api/auth/register', { method: 'POST', body })
    await signIn({ email: body.email, password: body.password })
  }

  /** Ends every other session of this account (this one stays signed in). */
  async function signOutOthers() {
    await $fetch('/api/auth/logout-others', { method: 'POST' })
  }

  /** Changes the password; every other session ends. */
  async function changePassword(body: { currentPassword: string, newPassword: string }) {
    await $fetch('/api/auth/password', { method: 'POST', body })
  }

  async function signOut() {
    await $fetch('/api/auth/logout', { method: 'POST' })
    await session.fetch()
    await navigateTo('/login')
  }

  return { user: session.user, loggedIn: session.loggedIn, signIn, signUp, signOut, signOutOthers, changePassword }
}

/** Only same-site paths are followed after sign-in (no open redirect to `//evil.example`). */
export function safeRedirect(value: unknown, fallback = '/'): string {
  const path = Array.isArray(value) ? value[0] : value
  return typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\') ? path : fallback
}

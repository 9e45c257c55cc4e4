// Sign-in and sign-up pages are pointless once signed in.
export default defineNuxtRouteMiddleware((to) => {
  const { loggedIn } = useUserSession()
  if (loggedIn.value) return navigateTo(safeRedirect(to.query.redirect))
})

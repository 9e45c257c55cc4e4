/**
 * What the sign-in and sign-up forms share: `busy` while the request runs, the error to show,
 * and on success the way back to the page that asked for an account (same-site only).
 */
export function useAuthForm(send: () => Promise<void>, explain: (error: unknown) => string) {
  const route = useRoute()
  const error = ref('')
  const busy = ref(false)

  async function submit() {
    error.value = ''
    busy.value = true
    try {
      await send()
      await navigateTo(safeRedirect(route.query.redirect))
    }
    catch (err) {
      error.value = explain(err)
    }
    finally {
      busy.value = false
    }
  }

  return { error, busy, submit }
}

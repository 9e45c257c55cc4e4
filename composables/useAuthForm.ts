/**
 * What the sign-in and sign-up forms share: `busy` while the request runs, the error to show,
 * and on success the way back to the page that asked for an account (same-site only).
 */
export function useAuthForm(send: () => Promise<void>, explain: (error: unknown) => string) {
  const route = useRoute()
  const { saving: busy, error, run } = useFormRequest(explain)
  const submit = () => run(async () => {
    await send()
    await navigateTo(safeRedirect(route.query.redirect))
  })
  return { error, busy, submit }
}

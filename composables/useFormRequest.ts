/**
 * A form's request: `saving` while it runs, and when it fails the API's error, explained (by
 * `explain`, the API's own message by default), for the form to show (the form stays open).
 */
export function useFormRequest(explain?: (error: unknown) => string) {
  const { message } = useApiError()
  const saving = ref(false)
  const error = ref('')

  async function run(request: () => Promise<unknown>) {
    saving.value = true
    error.value = ''
    try {
      await request()
    }
    catch (err) {
      error.value = explain ? explain(err) : message(err)
    }
    finally {
      saving.value = false
    }
  }

  return { saving, error, run }
}

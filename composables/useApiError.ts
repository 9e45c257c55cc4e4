export interface ApiIssue { path: string, message: string }

/** What every failed request looks like to the UI, whether it came from $fetch or from an XHR upload. */
export interface ApiFailure {
  status: number
  message: string
  issues: ApiIssue[]
}

export function toApiFailure(err: unknown): ApiFailure {
  const e = err as { name?: string, statusCode?: number, status?: number, response?: { status?: number }, data?: any, message?: string }
  // No status: a request that never got an answer (network), or a bug in the page (-1).
  const status = e?.statusCode ?? e?.status ?? e?.response?.status ?? (e?.name === 'FetchError' ? 0 : -1)
  const body = e?.data && typeof e.data === 'object' ? e.data : {}
  const issues = Array.isArray(body?.data?.issues) ? body.data.issues : []
  return { status, message: typeof body?.message === 'string' ? body.message : '', issues }
}

const STATUS_KEYS: Record<number, string> = {
  0: 'errors.network',
  400: 'errors.badRequest',
  401: 'errors.unauthorized',
  403: 'errors.forbidden',
  404: 'errors.notFound',
  409: 'errors.conflict',
  410: 'errors.expired',
  413: 'errors.tooLarge',
  415: 'errors.unsupportedType',
  422: 'errors.unprocessable',
  429: 'errors.tooManyRequests',
  503: 'errors.unavailable',
}

/**
 * Turns an API failure into a sentence in the UI language. The server's own message is English and
 * often more precise, so the English UI shows it; other languages get the translated sentence for the status.
 */
export function useApiError() {
  const { t, locale } = useI18n()

  function message(err: unknown, overrides: Partial<Record<number, string>> = {}): string {
    const failure = toApiFailure(err)
    if (failure.status === -1) console.error(err)
    const key = overrides[failure.status]
    if (key) return t(key)
    if (locale.value === 'en' && failure.message && failure.status >= 400 && failure.status < 500) return failure.message
    return t(STATUS_KEYS[failure.status] ?? 'errors.generic')
  }

  /** Field → first problem, for forms that show errors next to their inputs. */
  function fieldErrors(err: unknown): Record<string, string> {
    const out: Record<string, string> = {}
    for (const issue of toApiFailure(err).issues) {
      const field = String(issue.path).split('.')[0] || '_'
      out[field] ??= locale.value === 'en' ? issue.message : t('errors.invalidField')
    }
    return out
  }

  return { message, fieldErrors }
}

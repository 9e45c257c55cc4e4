import type { ImportMode } from '~~/shared/schemas/collection'

/** A problem the CSV import reports, file-wide or on one line: English `message`, translatable `code` and `params`. */
export interface CsvProblem { line?: number, message: string, code?: string, params?: Record<string, string | number> }

export interface CsvPreview {
  format: string
  mode: ImportMode
  added: { lines: number, cards: number }
  merged: { lines: number, cards: number }
  removed: { rows: number, cards: number }
  rejected: CsvProblem[]
  rejectedCount: number
  skipped: number
}

export interface CsvResult { format: string, imported: number, cards: number, skipped: number, rejected: CsvProblem[] }

/** The CSV import's problems in the UI's language (the English message when no translation is known). */
export function useCsvMessages() {
  const { t, te } = useI18n()
  function problem(p: CsvProblem): string {
    const key = `flow.csv.errors.${p.code}`
    if (!p.code || !te(key)) return p.message
    const params = p.params ?? {}
    const where = params.set !== undefined ? t('flow.csv.inSet', { set: params.set }) : params.total !== undefined ? t('flow.csv.inAnySet', { total: params.total }) : ''
    return t(key, { ...params, where })
  }
  /** A failed request's file-wide problem (`data.code`), else the status's sentence. */
  function failure(err: unknown, fallback: (err: unknown) => string): string {
    const data = (err as { data?: { data?: CsvProblem, code?: string, message?: string, params?: CsvProblem['params'] } })?.data
    const code = data?.code ?? data?.data?.code
    if (code && code !== 'linesRejected' && te(`flow.csv.errors.${code}`)) return problem({ message: data?.message ?? '', code, params: data?.params ?? data?.data?.params })
    return fallback(err)
  }
  return { problem, failure }
}

const csvBody = (file: File) => {
  const body = new FormData()
  body.append('file', file)
  return body
}

/** What importing the CSV would do (`POST /api/collection/import?dryRun=true`): nothing is written. */
export const previewCsv = (file: File, mode: ImportMode) =>
  $fetch<CsvPreview>('/api/collection/import', { method: 'POST', body: csvBody(file), query: { mode, dryRun: 'true' } })

/** Imports the CSV; with `skipInvalid`, the lines that can be, the others reported. */
export const importCsv = (file: File, mode: ImportMode, skipInvalid: boolean) =>
  $fetch<CsvResult>('/api/collection/import', { method: 'POST', body: csvBody(file), query: { mode, skipInvalid: skipInvalid ? 'true' : undefined } })

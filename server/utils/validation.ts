import type { H3Event } from 'h3'
import type { z } from 'zod'
import { inspectJson, MAX_JSON_DEPTH } from '../security/json-shape'

/** A 400 whose body names each field at fault: `data.issues: [{ path, message }]`. */
function invalid(error: z.ZodError, where: string) {
  const issues = error.issues.map(i => ({ path: i.path.join('.'), message: i.message }))
  const first = issues[0]
  return createError({
    statusCode: 400,
    statusMessage: 'Bad Request',
    message: first ? `Invalid ${where}: ${first.path || '(root)'}: ${first.message}` : `Invalid ${where}`,
    data: { issues },
  })
}

/** A 400 about one field, shaped like a schema's (for rules checked outside it). */
export function invalidField(path: string, message: string) {
  return createError({ statusCode: 400, statusMessage: 'Bad Request', message: `Invalid body: ${path}: ${message}`, data: { issues: [{ path, message }] } })
}

// h3 parses JSON whatever the declared type: refuse other types, so that a cross-site HTML form
// (text/plain, urlencoded, multipart: no CORS preflight) can never feed a JSON route.
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

// Postgres text cannot hold NUL: refuse it as bad input instead of failing in the database (500).
const nulRefused = () => createError({ statusCode: 400, message: 'Text cannot contain NUL (\\u0000) characters' })
const tooDeep = () => createError({ statusCode: 400, message: `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels` })

export async function readBodyAs<T extends z.ZodType>(event: H3Event, schema: T): Promise<z.output<T>> {
  const hasBody = Number(getRequestHeader(event, 'content-length') || 0) > 0 || !!getRequestHeader(event, 'transfer-encoding')
  if (hasBody && !JSON_TYPE.test(getRequestHeader(event, 'content-type') ?? '')) {
    throw createError({ statusCode: 415, message: 'Send the request body as JSON (Content-Type: application/json)' })
  }
  let body: unknown
  try {
    body = await readBody(event)
  }
  catch {
    throw createError({ statusCode: 400, message: 'Request body is not valid JSON' })
  }
  const shape = inspectJson(body)
  if (shape.tooDeep) throw tooDeep()
  if (shape.hasNul) throw nulRefused()
  const result = schema.safeParse(body ?? {})
  if (!result.success) throw invalid(result.error, 'body')
  return result.data
}

export function getQueryAs<T extends z.ZodType>(event: H3Event, schema: T): z.output<T> {
  const query = getQuery(event)
  if (inspectJson(query).hasNul) throw nulRefused()
  const result = schema.safeParse(query)
  if (!result.success) throw invalid(result.error, 'query')
  return result.data
}

/** A route parameter that must be a UUID; anything else cannot name a row, so 404. */
export function getUuidParam(event: H3Event, name = 'id'): string {
  const value = getRouterParam(event, name) ?? ''
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw createError({ statusCode: 404, message: 'Not found' })
  }
  return value.toLowerCase()
}

/**
 * The version an `If-Match` header names (`"3"`, `W/"3"`, `3`; `*` names none): a write then
 * applies only to that version of the row. 400 for anything else.
 */
export function ifMatchVersion(event: H3Event): number | undefined {
  const header = getRequestHeader(event, 'if-match')?.trim()
  if (!header || header === '*') return undefined
  const match = header.match(/^(?:W\/)?"?(\d{1,10})"?$/)
  const version = match ? Number(match[1]) : Number.NaN
  if (!Number.isSafeInteger(version) || version < 1) throw createError({ statusCode: 400, message: 'If-Match must be a row\'s ETag, such as "3"' })
  return version
}

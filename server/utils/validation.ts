import type { H3Event } from 'h3'
import type { z } from 'zod'

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

export async function readBodyAs<T extends z.ZodType>(event: H3Event, schema: T): Promise<z.output<T>> {
  let body: unknown
  try {
    body = await readBody(event)
  }
  catch {
    throw createError({ statusCode: 400, message: 'Request body is not valid JSON' })
  }
  const result = schema.safeParse(body ?? {})
  if (!result.success) throw invalid(result.error, 'body')
  return result.data
}

export function getQueryAs<T extends z.ZodType>(event: H3Event, schema: T): z.output<T> {
  const result = schema.safeParse(getQuery(event))
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

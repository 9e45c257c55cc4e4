/** The parts of an OpenAPI 3.1 document this module reads and writes. */
export interface OpenApiDocument {
  openapi: string
  info: Record<string, unknown>
  servers?: { url: string, description?: string }[]
  paths: Record<string, Record<string, OpenApiOperation>>
  components?: Record<string, unknown> & { securitySchemes?: Record<string, unknown> }
  security?: Record<string, string[]>[]
  [key: string]: unknown
}
export interface OpenApiOperation {
  tags?: string[]
  security?: Record<string, string[]>[]
  responses?: Record<string, unknown>
  [key: string]: unknown
}

/** Routes under /api that document the API rather than being part of it. */
const DOC_ROUTES = /^\/api\/(?:_openapi\.json|docs|redoc)(?:\/|$)/
/** Routes anyone may call; a session or token, when sent, still tells who asks (owned counts). */
const PUBLIC_ROUTES = [/^\/api\/auth\/(?:login|register)$/, /^\/api\/health$/, /^\/api\/cards(?:\/|$)/, /^\/api\/sets(?:\/|$)/, /^\/api\/public(?:\/|$)/]
/** Nitro's own tag for a route that names none of its own. */
const DEFAULT_TAG = 'API Routes'
const AUTH: Record<string, string[]>[] = [{ bearerAuth: [] }, { sessionCookie: [] }]

export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    description: 'A personal API token (`pkv_…`), created on the account page: `Authorization: Bearer pkv_…`.',
  },
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: 'nuxt-session',
    description: 'The browser\'s session after signing in (`POST /api/auth/login`); writes also need an `Origin` of this server.',
  },
}

/**
 * The public API's document from the one Nitro generates for every route: only the `/api` routes (no
 * pages, `/__nuxt_error`, `/_i18n` or the docs themselves), the bearer token and session schemes (so
 * Swagger UI offers "Authorize"), a 401 on every private operation, and `serverUrl` — where the docs
 * are served from — as the server.
 */
export function publicApiDocument(generated: OpenApiDocument, serverUrl: string): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {}
  for (const [path, operations] of Object.entries(generated.paths)) {
    if (!path.startsWith('/api/') || DOC_ROUTES.test(path)) continue
    const open = PUBLIC_ROUTES.some(re => re.test(path))
    paths[path] = Object.fromEntries(Object.entries(operations).map(([method, op]) => {
      const tags = op.tags?.filter(t => t !== DEFAULT_TAG)
      const operation: OpenApiOperation = { ...op, tags: tags?.length ? tags : op.tags }
      if (open) operation.security = [{}, ...AUTH]
      else operation.responses = { 401: { description: 'Unauthorized: no valid session or API token' }, ...op.responses }
      return [method, operation]
    }))
  }
  return {
    ...generated,
    servers: [{ url: serverUrl, description: 'This Poke-ventory server' }],
    paths,
    components: { ...generated.components, securitySchemes: { ...generated.components?.securitySchemes, ...SECURITY_SCHEMES } },
    security: AUTH,
  }
}

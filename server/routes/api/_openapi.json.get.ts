import generatedDocument from 'nitropack/runtime/internal/routes/openapi'
import { joinURL } from 'ufo'
import { type OpenApiDocument, publicApiDocument } from '../../docs/openapi'

/**
 * The API's OpenAPI document (read by /api/docs and /api/redoc): Nitro's, generated from every route's
 * `defineRouteMeta`, narrowed to the public API (server/docs/openapi.ts).
 */
export default defineEventHandler(async (event) => {
  const generated = await generatedDocument(event) as unknown as OpenApiDocument
  const origin = getRequestURL(event, { xForwardedHost: true, xForwardedProto: true }).origin
  return publicApiDocument(generated, joinURL(origin, useRuntimeConfig(event).app.baseURL))
})

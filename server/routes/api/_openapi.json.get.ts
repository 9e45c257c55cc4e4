import generatedDocument from 'nitropack/runtime/internal/routes/openapi'
import { joinURL } from 'ufo'
import { type OpenApiDocument, publicApiDocument } from '../../docs/openapi'

/**
 * The API's OpenAPI document (read by /api/docs and /api/redoc): Nitro's, generated from every route's
 * `defineRouteMeta`, narrowed to the public API (server/docs/openapi.ts).
 */
export default defineEventHandler(async (event) => {
  const generated = await generatedDocument(event) as unknown as OpenApiDocument
  // The address the docs were asked at (its Host header), as Nitro's own document does.
  return publicApiDocument(generated, joinURL(getRequestURL(event).origin, useRuntimeConfig(event).app.baseURL))
})

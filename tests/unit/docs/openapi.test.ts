import { describe, expect, it } from 'vitest'
import { type OpenApiDocument, publicApiDocument } from '../../../server/docs/openapi'

// What Nitro generates: every route, the pages and its own internals included.
const generated: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'Poke-ventory API' },
  servers: [{ url: 'http://localhost:3000', description: 'Local Development Server' }],
  paths: {
    '/__nuxt_error': { get: { tags: ['Internal'] } },
    '/_i18n/{hash}/{locale}/messages.json': { get: { tags: ['Internal'] } },
    '/api/_openapi.json': { get: { tags: ['API Routes'] } },
    '/api/docs': { get: { tags: ['API Routes'] } },
    '/api/redoc': { get: { tags: ['API Routes'] } },
    '/**': { get: { tags: ['App Routes'] } },
    '/api/auth/login': { post: { tags: ['API Routes', 'Auth'], responses: { 200: { description: 'ok' } } } },
    '/api/cards/{id}': { get: { tags: ['Catalogue'] } },
    '/api/collection': { get: { tags: ['Collection'], responses: { 200: { description: 'ok' } } } },
  },
}

describe('the public API document', () => {
  const doc = publicApiDocument(generated, 'https://cards.example.org/')

  it('lists the /api routes only, not the pages, Nuxt\'s internals or the docs themselves', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/auth/login', '/api/cards/{id}', '/api/collection'])
    expect(JSON.stringify(doc)).not.toContain('App Routes')
    expect(doc.paths['/api/auth/login']!.post!.tags).toEqual(['Auth'])
  })

  it('declares the bearer token and the session, required unless a route is public', () => {
    expect(doc.components?.securitySchemes).toMatchObject({ bearerAuth: { type: 'http', scheme: 'bearer' }, sessionCookie: { type: 'apiKey', in: 'cookie' } })
    expect(doc.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }])
    expect(doc.paths['/api/cards/{id}']!.get!.security).toEqual([{}, { bearerAuth: [] }, { sessionCookie: [] }])
    expect(doc.paths['/api/collection']!.get!.responses).toMatchObject({ 401: { description: expect.stringMatching(/Unauthorized/) }, 200: { description: 'ok' } })
  })

  it('names the server the docs are served from', () => {
    expect(doc.servers).toEqual([{ url: 'https://cards.example.org/', description: 'This Poke-ventory server' }])
  })
})

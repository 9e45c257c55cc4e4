import { describe, expect, it } from 'vitest'
import { anonymous, setupApp } from '../support/app'

setupApp()

describe('GET /api/health', () => {
  it('reports the drivers chosen by the environment and that each answers', async () => {
    const res = await anonymous.request('/api/health')
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toEqual({
      status: 'ok',
      database: { driver: process.env.DATABASE_URL ? 'postgres' : 'pglite', ok: true },
      storage: { driver: process.env.REDIS_URL ? 'redis' : 'file', ok: true },
      queue: { driver: process.env.REDIS_URL ? 'bullmq' : 'database', ok: true },
    })
  })

  it('serves the OpenAPI document and its viewer', async () => {
    const spec = await (await anonymous.request('/api/_openapi.json')).json()
    expect(spec.openapi).toMatch(/^3\./)
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/auth/login']))
    const docs = await anonymous.request('/api/docs')
    expect(docs.status).toBe(200)
    expect(docs.headers.get('content-type')).toMatch(/text\/html/)
    const html = await docs.text()
    // Served from the app itself: no CDN, so the reference works offline.
    expect(html).not.toMatch(/https?:\/\//)
    for (const asset of html.match(/\/api\/docs\/assets\/[\w.-]+/g)!) {
      expect((await anonymous.request(asset)).status).toBe(200)
    }
  })
})

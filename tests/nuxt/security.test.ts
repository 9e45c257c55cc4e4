import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { anonymous, clientFor, rootDir, setupApp, signUp, url } from '../support/app'

setupApp({ RATE_LIMIT_LOGIN_PER_MINUTE: '3', TRUST_PROXY: 'true' })

/** Every API route, read from server/api so that a new file is covered without editing this test. */
function apiRoutes(): { method: string, path: string, file: string }[] {
  const dir = join(rootDir, 'server/api')
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.ts'))
  return files.map((file) => {
    const match = relative(dir, join(dir, file)).match(/^(.*?)(?:\.(get|post|put|patch|delete))?\.ts$/)!
    const path = `/api/${match[1]!}`
      .replace(/\/index$/, '')
      .replace(/\[\.\.\.[^\]]+\]/g, 'x')
      .replace(/\[[^\]]+\]/g, '00000000-0000-4000-8000-000000000000')
    return { method: (match[2] ?? 'get').toUpperCase(), path, file }
  })
}

/** Routes anyone may call; everything else needs a session or a token. */
const PUBLIC = [
  /^\/api\/health$/,
  /^\/api\/auth\/(register|login|logout)$/,
  /^\/api\/cards(\/|$)/,
  /^\/api\/sets(\/|$)/,
]

describe('authentication on every route', () => {
  const routes = apiRoutes()

  it('finds the route files', () => {
    expect(routes.length).toBeGreaterThan(5)
  })

  it.each(routes.filter(r => !PUBLIC.some(p => p.test(r.path))).map(r => [`${r.method} ${r.path}`, r]))(
    '%s answers 401 without credentials',
    async (_name, route) => {
      const res = await anonymous.request(route.path, { method: route.method, json: route.method === 'GET' ? undefined : {} })
      expect(res.status).toBe(401)
      const body = await res.json()
      expect(body.message).toBeTruthy()
    },
  )

  it.each(routes.filter(r => !PUBLIC.some(p => p.test(r.path))).map(r => [`${r.method} ${r.path}`, r]))(
    '%s answers 401 for a revoked or made-up token',
    async (_name, route) => {
      const bogus = clientFor(anonymous.user, { authorization: 'Bearer pkv_made-up-token' })
      const res = await bogus.request(route.path, { method: route.method, json: route.method === 'GET' ? undefined : {} })
      expect(res.status).toBe(401)
    },
  )
})

describe('security headers', () => {
  it('serves pages with a nonce-based CSP and the usual hardening headers', async () => {
    const res = await anonymous.request('/login')
    expect(res.status).toBe(200)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(/script-src [^;]*'nonce-[^']+'/)
    expect(csp).toMatch(/object-src 'none'/)
    expect(csp).toMatch(/frame-ancestors 'self'/)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('referrer-policy')).toBeTruthy()
    expect(res.headers.get('x-powered-by')).toBeNull()
    const html = await res.text()
    const nonce = csp.match(/'nonce-([^']+)'/)![1]
    // Every inline script of the page carries the nonce, or the browser would refuse it.
    for (const tag of html.match(/<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")[^>]*>/g) ?? []) {
      expect(tag).toContain(`nonce="${nonce}"`)
    }
  })
})

describe('sessions and cross-site requests', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const res = await anonymous.request('/api/auth/register', {
      method: 'POST',
      json: { email: `cookie-${Date.now()}@example.test`, password: 'long enough password', name: 'c' },
    })
    const cookie = res.headers.getSetCookie().join('\n')
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
  })

  it('marks the session cookie Secure when served over HTTPS, and only then', async () => {
    const register = (headers: Record<string, string>) => anonymous.request('/api/auth/register', {
      method: 'POST',
      headers,
      json: { email: `tls-${Date.now()}-${Math.random()}@example.test`, password: 'long enough password', name: 't' },
    })
    const overTls = (await register({ 'x-forwarded-proto': 'https' })).headers.getSetCookie().join('\n')
    expect(overTls).toMatch(/;\s*Secure/i)
    const plain = (await register({})).headers.getSetCookie().join('\n')
    expect(plain).not.toMatch(/;\s*Secure/i)
  })

  it('refuses a state-changing request from another site, but not one with an API token', async () => {
    const alice = await signUp('alice')
    const evil = await alice.request('/api/tokens', { method: 'POST', json: { name: 'x' }, headers: { origin: 'https://evil.example' } })
    expect(evil.status).toBe(403)
    const { token } = await alice.api('/api/tokens', { method: 'POST', json: { name: 'script' } })
    const script = clientFor(alice.user, { authorization: `Bearer ${token.secret}` })
    const res = await script.request('/api/tokens', { method: 'POST', json: { name: 'y' }, headers: { origin: 'https://elsewhere.example' } })
    expect(res.status).toBe(201)
  })

  it('limits sign-in attempts with 429 and Retry-After', async () => {
    const bob = await signUp('bob')
    const attempt = () => anonymous.request('/api/auth/login', { method: 'POST', json: { email: bob.user.email, password: 'wrong password!' } })
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401)
    const limited = await attempt()
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('never shows a stack trace or SQL in an error body', async () => {
    const res = await anonymous.request('/api/auth/login', { method: 'POST', body: '{"email": ', headers: { 'content-type': 'application/json' } })
    expect(res.status).toBe(400)
    const text = await res.text()
    expect(text).not.toMatch(/\bat .+\.(m?js|ts):\d+|select |insert into/i)
    expect(url('/')).toBeTruthy()
  })
})

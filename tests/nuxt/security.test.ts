import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { anonymous, clientFor, rootDir, setupApp, signUp, uniqueEmail, url } from '../support/app'

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
  // A published collection, want list or binder: its unguessable slug is the key (tests/nuxt/wants-sharing.test.ts).
  /^\/api\/public\//,
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
  it('sets an HttpOnly, SameSite=Lax session cookie with a Max-Age', async () => {
    const user = await signUp('cookie')
    const res = await anonymous.request('/api/auth/login', { method: 'POST', json: { email: user.user.email, password: 'correct horse battery' } })
    const cookie = res.headers.getSetCookie().join('\n')
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    expect(cookie).toMatch(/Max-Age=2592000\b/i) // 30 days, the default SESSION_MAX_AGE_DAYS
  })

  it('marks the session cookie Secure when served over HTTPS, and only then', async () => {
    const user = await signUp('tls')
    const login = (headers: Record<string, string>) => anonymous.request('/api/auth/login', {
      method: 'POST',
      headers,
      json: { email: user.user.email, password: 'correct horse battery' },
    })
    const overTls = (await login({ 'x-forwarded-proto': 'https', 'origin': new URL(url('/')).origin.replace('http:', 'https:') })).headers.getSetCookie().join('\n')
    expect(overTls).toMatch(/;\s*Secure/i)
    const plain = (await login({})).headers.getSetCookie().join('\n')
    expect(plain).not.toMatch(/;\s*Secure/i)
  })

  it('refuses a state-changing request from another site, but not one with an API token', async () => {
    const alice = await signUp('alice')
    const evil = await alice.request('/api/tokens', { method: 'POST', json: { name: 'x' }, headers: { origin: 'https://evil.example' } })
    expect(evil.status).toBe(403)
    const { token } = await alice.api('/api/tokens', { method: 'POST', json: { name: 'script' } })
    const script = clientFor(alice.user, { authorization: `Bearer ${token.secret}` })
    const res = await script.request('/api/collection', { method: 'POST', json: { cardId: 'sv02-012' }, headers: { origin: 'https://elsewhere.example' } })
    expect(res.status).toBe(201)
  })

  it('limits sign-in attempts with 429 and Retry-After', async () => {
    // An account that never signed in (signUp's own sign-in would count as an attempt).
    const email = uniqueEmail('bob')
    expect((await anonymous.request('/api/auth/register', { method: 'POST', json: { email, password: 'correct horse battery', name: 'bob' } })).status).toBe(202)
    const attempt = () => anonymous.request('/api/auth/login', { method: 'POST', json: { email, password: 'wrong password!' } })
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

/** Spellings of one path that reach the same handler, or that a proxy in front may turn into it. */
function spellings(path: string): string[] {
  const last = path.lastIndexOf('/')
  const encoded = `${path.slice(0, last + 1)}%${path.charCodeAt(last + 1).toString(16)}${path.slice(last + 2)}`
  return [path, `${path}/`, path.toUpperCase(), path.replace('/api/', '/api//'), encoded, `${path}/?x=1`]
}

describe('rate limits on every spelling of a limited route (issue 18, item 2)', () => {
  // Each case gets its own client address (TRUST_PROXY is on here), so the limits of other tests do not mix in.
  let address = 0
  const fromNewAddress = () => ({ 'x-forwarded-for': `198.51.100.${++address}` })

  const cases: [string, () => Promise<{ limit: number, hit: (path: string) => Promise<Response> }>][] = [
    ['POST /api/auth/login', async () => {
      const headers = fromNewAddress()
      return { limit: 3, hit: p => anonymous.request(p, { method: 'POST', headers, json: { email: 'victim@example.test', password: 'guess guess guess' } }) }
    }],
    ['POST /api/auth/register', async () => {
      const headers = fromNewAddress()
      // Refused bodies count too (and cost no password hash): the default limit is 100 an hour.
      return { limit: 100, hit: p => anonymous.request(p, { method: 'POST', headers, json: { email: 'x' } }) }
    }],
    ['POST /api/auth/password', async () => {
      const user = await signUp('pw-limit')
      return { limit: 3, hit: p => user.request(p, { method: 'POST', json: { currentPassword: 'wrong guess', newPassword: 'a new long secret' } }) }
    }],
    ['POST /api/imports/batches', async () => {
      const user = await signUp('upload-limit')
      return { limit: 30, hit: p => user.request(p, { method: 'POST', json: {} }) }
    }],
  ]

  it.each(cases)('%s: all spellings share one count, and each is refused past it', async (route, setup) => {
    const path = route.split(' ')[1]!
    const { limit, hit } = await setup()
    const variants = spellings(path)
    for (let i = 0; i < limit; i++) {
      const res = await hit(variants[i % variants.length]!)
      expect(res.status, `${variants[i % variants.length]} (attempt ${i + 1})`).not.toBe(429)
    }
    for (const variant of variants) {
      const res = await hit(variant)
      expect(res.status, variant).toBe(429)
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    }
  })

  it('a trailing slash no longer opens a way around a sign-in limit that was reached', async () => {
    const email = uniqueEmail('victim')
    await anonymous.request('/api/auth/register', { method: 'POST', json: { email, password: 'correct horse battery', name: 'v' } })
    const headers = fromNewAddress()
    for (let i = 0; i < 3; i++) await anonymous.request('/api/auth/login', { method: 'POST', headers, json: { email, password: `wrong ${i} guess!` } })
    for (let i = 0; i < 10; i++) {
      expect((await anonymous.request('/api/auth/login/', { method: 'POST', headers, json: { email, password: `wrong ${i} again` } })).status).toBe(429)
    }
    expect((await anonymous.request('/api/auth/login/', { method: 'POST', headers, json: { email, password: 'correct horse battery' } })).status).toBe(429)
  })
})

describe('the client address behind a proxy (issue 18, item 4)', () => {
  it('keys limits on the address the trusted proxy added, not on entries the client wrote', async () => {
    const email = uniqueEmail('xff')
    const attempt = (forwardedFor: string) => anonymous.request('/api/auth/login', { method: 'POST', headers: { 'x-forwarded-for': forwardedFor }, json: { email, password: 'wrong password!' } })
    // The client changes the leftmost entry every time; the proxy's own (rightmost) stays the same.
    for (let i = 0; i < 3; i++) expect((await attempt(`10.9.9.${i}, 203.0.113.50`)).status).toBe(401)
    expect((await attempt('10.9.9.99, 203.0.113.50')).status).toBe(429)
    expect((await attempt('203.0.113.51')).status).toBe(401) // another client behind the same proxy
  })
})

describe('API tokens cannot manage tokens (issue 18, item 7)', () => {
  it('refuses to mint, list or revoke tokens with a bearer token (403); a revoked token then ends the access', async () => {
    const owner = await signUp('owner')
    const { token } = await owner.api('/api/tokens', { method: 'POST', json: { name: 'stolen' } })
    const thief = clientFor(owner.user, { authorization: `Bearer ${token.secret}` })
    expect((await thief.request('/api/tokens', { method: 'POST', json: { name: 'persistence' } })).status).toBe(403)
    expect((await thief.request('/api/tokens')).status).toBe(403)
    expect((await thief.request(`/api/tokens/${token.id}`, { method: 'DELETE' })).status).toBe(403)
    expect((await thief.request('/api/auth/password', { method: 'POST', json: { currentPassword: 'x', newPassword: 'a new long secret' } })).status).toBe(403)
    expect((await thief.request('/api/auth/logout-others', { method: 'POST' })).status).toBe(403)
    expect((await owner.api('/api/tokens')).tokens).toHaveLength(1)
    // The token still does what tokens are for, until the owner revokes it.
    expect((await thief.request('/api/collection')).status).toBe(200)
    expect((await owner.request(`/api/tokens/${token.id}`, { method: 'DELETE' })).status).toBe(200)
    expect((await thief.request('/api/collection')).status).toBe(401)
  })
})

describe('CSRF check (issue 18, item 9)', () => {
  it('is skipped only when a token authenticates: a malformed or made-up Authorization header does not let the cookie through', async () => {
    const alice = await signUp('csrf')
    for (const authorization of ['Bearer a b', 'Bearer', 'Basic YWxpY2U6eA==', 'Bearer pkv_made-up-token']) {
      const res = await alice.request('/api/collection', { method: 'POST', json: { cardId: 'sv02-012' }, headers: { authorization, origin: 'https://evil.example' } })
      expect(res.status, authorization).toBe(403)
      // Same site: the malformed header is a 401, never a fall-back to the cookie.
      expect((await alice.request('/api/collection', { method: 'POST', json: { cardId: 'sv02-012' }, headers: { authorization } })).status, authorization).toBe(401)
    }
    expect((await alice.api('/api/collection')).total).toBe(0)
  })

  it('compares the scheme of Origin as well as its host', async () => {
    const alice = await signUp('scheme')
    const here = new URL(url('/'))
    const https = await alice.request('/api/collection', { method: 'POST', json: { cardId: 'sv02-012' }, headers: { origin: `https://${here.host}` } })
    expect(https.status).toBe(403)
    // Behind a TLS proxy (trusted here), a page served over plain http is another origin.
    const downgraded = await alice.request('/api/collection', { method: 'POST', json: { cardId: 'sv02-012' }, headers: { 'origin': here.origin, 'x-forwarded-proto': 'https' } })
    expect(downgraded.status).toBe(403)
    const proxied = await alice.request('/api/collection', { method: 'POST', json: { cardId: 'sv02-012' }, headers: { 'origin': 'https://cards.example', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'cards.example' } })
    expect(proxied.status).toBe(201)
  })
})

describe('error bodies name their status (issue 18, item 14)', () => {
  it('says Unauthorized, Forbidden, Not Found, Bad Request, Unsupported Media Type, Too Many Requests, never "Server Error"', async () => {
    const user = await signUp('status')
    const checks: [Promise<Response>, number, string][] = [
      [anonymous.request('/api/auth/me'), 401, 'Unauthorized'],
      [user.request('/api/collection', { method: 'POST', json: { cardId: 'sv02-012' }, headers: { origin: 'https://evil.example' } }), 403, 'Forbidden'],
      [user.request('/api/collection/00000000-0000-4000-8000-000000000000'), 404, 'Not Found'],
      [user.request('/api/collection', { method: 'POST', json: { quantity: 'many' } }), 400, 'Bad Request'],
      [user.request('/api/collection', { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } }), 415, 'Unsupported Media Type'],
      [user.request('/api/collection', { method: 'POST', json: { cardId: 'nope-1' } }), 422, 'Unprocessable Entity'],
    ]
    for (const [pending, status, text] of checks) {
      const res = await pending
      const body = await res.json()
      expect(res.status).toBe(status)
      expect(body.statusMessage, `${status}`).toBe(text)
      expect(body.message).not.toMatch(/Server Error/)
    }
  })
})

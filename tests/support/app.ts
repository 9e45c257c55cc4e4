import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { $fetch, fetch, setup, url } from '@nuxt/test-utils/e2e'
import { inject } from 'vitest'
import { freePortSync } from './ports'

export const rootDir = resolve(import.meta.dirname, '../..')
export const SESSION_PASSWORD = 'test-session-password-0123456789abcdef'

/** No test app asks TCGdex for anything unless its test points these at the local stub (tests/support/tcgdex-stub.ts). */
const OFFLINE = {
  PRICES_SOURCE: 'off',
  CARD_IMAGES: 'off',
  TCGDEX_API_URL: 'http://127.0.0.1:9/v2',
  TCGDEX_ASSETS_URL: 'http://127.0.0.1:9/assets',
}

/**
 * Starts the built app for this test file: its own data directory (a copy of the migrated,
 * catalogue-filled PGlite template) or the real services named by DATABASE_URL / REDIS_URL.
 */
export function setupApp(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'pokeventory-data-'))
  const template = inject('pgliteTemplate')
  if (template) cpSync(template, dataDir, { recursive: true })
  return setup({
    rootDir,
    server: true,
    port: freePortSync(),
    build: false,
    nuxtConfig: { nitro: { output: { dir: inject('outputDir') } } },
    env: { DATA_DIR: dataDir, NUXT_SESSION_PASSWORD: SESSION_PASSWORD, NUXT_PUBLIC_SITE_URL: '', ...OFFLINE, ...env },
    setupTimeout: 240_000,
  })
}

export interface Client {
  user: { id: string, email: string, name: string }
  headers: Record<string, string>
  /** A raw request as this user; the Response is returned whatever its status. */
  request: (path: string, init?: RequestInit & { json?: unknown }) => Promise<Response>
  /** A JSON request as this user that must succeed. */
  api: <T = any>(path: string, init?: RequestInit & { json?: unknown }) => Promise<T>
}

let counter = 0

export function uniqueEmail(tag = 'user') {
  return `${tag}-${Date.now().toString(36)}-${process.pid}-${++counter}@example.test`
}

function sessionCookie(res: Response): string {
  const cookies = res.headers.getSetCookie().map(c => c.split(';')[0]!)
  return cookies.join('; ')
}

export function clientFor(user: Client['user'], headers: Record<string, string>): Client {
  const request = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const { json, ...rest } = init
    const h = new Headers(rest.headers)
    for (const [k, v] of Object.entries(headers)) if (!h.has(k)) h.set(k, v)
    if (json !== undefined) h.set('content-type', 'application/json')
    if (!h.has('origin')) h.set('origin', new URL(url('/')).origin)
    return fetch(path, { ...rest, headers: h, body: json !== undefined ? JSON.stringify(json) : rest.body })
  }
  const api = async <T>(path: string, init?: RequestInit & { json?: unknown }) => {
    const res = await request(path, init)
    const text = await res.text()
    if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path} → ${res.status}: ${text}`)
    return (text ? JSON.parse(text) : undefined) as T
  }
  return { user, headers, request, api }
}

const postJson = (path: string, body: unknown) => fetch(path, {
  method: 'POST',
  headers: { 'content-type': 'application/json', origin: new URL(url('/')).origin },
  body: JSON.stringify(body),
})

/** Signs in and returns a client carrying the new session cookie. */
export async function signIn(email: string, password: string): Promise<Client> {
  const res = await postJson('/api/auth/login', { email, password })
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`)
  const { user } = await res.json()
  return clientFor(user, { cookie: sessionCookie(res) })
}

/** Registers a new account (sign-up answers 202 and sets no session), then signs in with it. */
export async function signUp(tag = 'user', password = 'correct horse battery'): Promise<Client> {
  const email = uniqueEmail(tag)
  const res = await postJson('/api/auth/register', { email, password, name: tag })
  if (res.status !== 202) throw new Error(`register failed: ${res.status} ${await res.text()}`)
  return signIn(email, password)
}

/** A client with no credentials at all. */
export const anonymous = clientFor({ id: '', email: '', name: '' }, {})

export { $fetch, fetch, url }

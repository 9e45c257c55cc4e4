import { describe, expect, it } from 'vitest'
import { anonymous, clientFor, setupApp, signUp, uniqueEmail } from '../support/app'

setupApp()

describe('accounts', () => {
  it('registers, reads /me, logs out and in again', async () => {
    const alice = await signUp('alice')
    const me = await alice.api('/api/auth/me')
    expect(me.user.email).toBe(alice.user.email)

    expect((await alice.request('/api/auth/logout', { method: 'POST' })).status).toBe(200)

    const login = await anonymous.request('/api/auth/login', { method: 'POST', json: { email: alice.user.email.toUpperCase(), password: 'correct horse battery' } })
    expect(login.status).toBe(200)
    expect(login.headers.getSetCookie().join(';')).toMatch(/HttpOnly/i)
  })

  it('refuses a wrong password and an unknown account alike', async () => {
    const bob = await signUp('bob')
    const wrong = await anonymous.request('/api/auth/login', { method: 'POST', json: { email: bob.user.email, password: 'nope nope nope' } })
    const unknown = await anonymous.request('/api/auth/login', { method: 'POST', json: { email: uniqueEmail('ghost'), password: 'nope nope nope' } })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect((await wrong.json()).message).toBe((await unknown.json()).message)
  })

  it('answers 400 naming the field at fault, and the same 202 for a free and a taken e-mail', async () => {
    const res = await anonymous.request('/api/auth/register', { method: 'POST', json: { email: 'not-an-email', password: 'x', name: '' } })
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.data.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['email', 'password', 'name']))
    expect(JSON.stringify(body)).not.toMatch(/at .*\.m?js/)

    // Whether an address has an account is not told: same status, same body, no cookie either way.
    const carol = await signUp('carol')
    const taken = await anonymous.request('/api/auth/register', { method: 'POST', json: { email: carol.user.email, password: 'long enough password', name: 'c' } })
    const free = await anonymous.request('/api/auth/register', { method: 'POST', json: { email: uniqueEmail('dave'), password: 'long enough password', name: 'd' } })
    expect(taken.status).toBe(202)
    expect(free.status).toBe(202)
    expect(await taken.text()).toBe(await free.text())
    expect(taken.headers.getSetCookie()).toEqual([])
    expect(free.headers.getSetCookie()).toEqual([])
    // The account is untouched: its own password still signs in, the other one does not.
    expect((await anonymous.request('/api/auth/login', { method: 'POST', json: { email: carol.user.email, password: 'long enough password' } })).status).toBe(401)
    expect((await anonymous.request('/api/auth/login', { method: 'POST', json: { email: carol.user.email, password: 'correct horse battery' } })).status).toBe(200)
  })

  it('answers 401 without a session and for a bogus cookie', async () => {
    expect((await anonymous.request('/api/auth/me')).status).toBe(401)
    const forged = clientFor(anonymous.user, { cookie: 'nuxt-session=Fe26.2**garbage' })
    expect((await forged.request('/api/auth/me')).status).toBe(401)
  })
})

describe('personal API tokens', () => {
  it('creates a token shown once, authenticates with it, lists it without the secret, and revokes it', async () => {
    const dana = await signUp('dana')
    const { token } = await dana.api('/api/tokens', { method: 'POST', json: { name: 'scanner script' } })
    expect(token.secret).toMatch(/^pkv_/)

    const bearer = clientFor(dana.user, { authorization: `Bearer ${token.secret}` })
    expect((await bearer.api('/api/auth/me')).user.id).toBe(dana.user.id)

    const { tokens } = await dana.api('/api/tokens')
    expect(tokens).toHaveLength(1)
    expect(tokens[0].secret).toBeUndefined()
    expect(tokens[0].lastUsedAt).not.toBeNull()
    expect(JSON.stringify(tokens)).not.toContain(token.secret)

    const eve = await signUp('eve')
    expect((await eve.request(`/api/tokens/${token.id}`, { method: 'DELETE' })).status).toBe(404)
    expect((await dana.request(`/api/tokens/${token.id}`, { method: 'DELETE' })).status).toBe(200)
    expect((await bearer.request('/api/auth/me')).status).toBe(401)
  })

  it('rejects malformed token ids and bodies', async () => {
    const fay = await signUp('fay')
    expect((await fay.request('/api/tokens/not-a-uuid', { method: 'DELETE' })).status).toBe(404)
    expect((await fay.request('/api/tokens', { method: 'POST', json: { name: '' } })).status).toBe(400)
  })
})

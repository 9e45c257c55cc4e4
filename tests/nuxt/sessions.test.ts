import { describe, expect, it } from 'vitest'
import { anonymous, clientFor, setupApp, signIn, signUp } from '../support/app'

// Sessions here last 5 s unused (SESSION_MAX_AGE_DAYS takes fractions); no proxy is trusted.
const LIFETIME_S = 5
setupApp({ SESSION_MAX_AGE_DAYS: String(LIFETIME_S / 86_400) })

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))
const cookieOf = (res: Response) => res.headers.getSetCookie().map(c => c.split(';')[0]!).join('; ')

describe('session lifetime (issue 18, item 6)', () => {
  it('gives the cookie a Max-Age, slides while the session is used, and ends it once unused for longer', async () => {
    const user = await signUp('slide')
    const login = await anonymous.request('/api/auth/login', { method: 'POST', json: { email: user.user.email, password: 'correct horse battery' } })
    expect(login.headers.getSetCookie().join('\n')).toMatch(new RegExp(`Max-Age=${LIFETIME_S}\\b`, 'i'))
    let cookie = cookieOf(login)
    // Used every 2 s for 8 s (longer than its lifetime): it holds, its cookie renewed on the way.
    for (let i = 0; i < 4; i++) {
      await sleep(2000)
      const res = await clientFor(user.user, { cookie }).request('/api/auth/me')
      expect(res.status, `after ${(i + 1) * 2} s`).toBe(200)
      if (res.headers.getSetCookie().length) {
        expect(res.headers.getSetCookie().join('\n')).toMatch(/Max-Age=/i)
        cookie = cookieOf(res)
      }
    }
    // A copy of the cookie left unused past its lifetime no longer works, and is cleared.
    await sleep((LIFETIME_S + 1) * 1000)
    const expired = await clientFor(user.user, { cookie }).request('/api/auth/me')
    expect(expired.status).toBe(401)
    expect((await expired.json()).message).toMatch(/expired/)
    // The pages' own session endpoint says signed out too.
    expect(await (await clientFor(user.user, { cookie }).request('/api/_auth/session')).json()).not.toHaveProperty('user')
  })
})

describe('ending other sessions (issue 18, item 6)', () => {
  it('"sign out everywhere else" ends every other session (copies made before sign-out included) and keeps this one', async () => {
    const phone = await signUp('everywhere')
    const laptop = await signIn(phone.user.email, 'correct horse battery')
    const copied = clientFor(phone.user, phone.headers) // a copy of the phone's cookie, taken earlier
    expect((await phone.request('/api/auth/logout', { method: 'POST' })).status).toBe(200)
    expect((await copied.request('/api/auth/me')).status).toBe(200) // stateless: sign-out alone does not end a copy

    const res = await laptop.request('/api/auth/logout-others', { method: 'POST' })
    expect(res.status).toBe(200)
    const laptopNow = clientFor(laptop.user, { cookie: cookieOf(res) })
    expect((await laptopNow.request('/api/auth/me')).status).toBe(200)
    expect((await copied.request('/api/auth/me')).status).toBe(401)
    expect((await laptop.request('/api/auth/me')).status).toBe(401) // the laptop's old cookie too
    expect((await signIn(phone.user.email, 'correct horse battery').then(c => c.request('/api/auth/me'))).status).toBe(200)
  })

  it('a password change needs the current password, ends every other session, and keeps API tokens', async () => {
    const here = await signUp('pwchange')
    const there = await signIn(here.user.email, 'correct horse battery')
    const { token } = await here.api('/api/tokens', { method: 'POST', json: { name: 'script' } })

    const wrong = await here.request('/api/auth/password', { method: 'POST', json: { currentPassword: 'not my password', newPassword: 'brand new long secret' } })
    expect(wrong.status).toBe(400)
    expect((await wrong.json()).data.issues[0].path).toBe('currentPassword')
    for (const newPassword of ['          ', here.user.email, '1234567890', 'azertyuiop']) {
      const res = await here.request('/api/auth/password', { method: 'POST', json: { currentPassword: 'correct horse battery', newPassword } })
      expect(res.status, newPassword).toBe(400)
      expect((await res.json()).data.issues[0].path).toBe('newPassword')
    }
    expect((await there.request('/api/auth/me')).status).toBe(200)

    const res = await here.request('/api/auth/password', { method: 'POST', json: { currentPassword: 'correct horse battery', newPassword: 'brand new long secret' } })
    expect(res.status).toBe(200)
    expect((await clientFor(here.user, { cookie: cookieOf(res) }).request('/api/auth/me')).status).toBe(200)
    expect((await there.request('/api/auth/me')).status).toBe(401)
    expect((await clientFor(here.user, { authorization: `Bearer ${token.secret}` }).request('/api/auth/me')).status).toBe(200)
    expect((await anonymous.request('/api/auth/login', { method: 'POST', json: { email: here.user.email, password: 'correct horse battery' } })).status).toBe(401)
    expect((await signIn(here.user.email, 'brand new long secret')).user.id).toBe(here.user.id)
  })
})

describe('password rules at sign-up (issue 18, item 8)', () => {
  it('refuses blank-only, the e-mail itself, repetitive and common passwords, naming the field', async () => {
    const email = `rules-${Date.now()}@example.test`
    for (const password of [' '.repeat(10), '   \t      ', email, email.toUpperCase(), '1234567890', '1111111111', 'qwertyuiop', 'azertyuiop', 'Password123', 'iloveyou12']) {
      const res = await anonymous.request('/api/auth/register', { method: 'POST', json: { email, password, name: 'r' } })
      expect(res.status, password).toBe(400)
      expect((await res.json()).data.issues.map((i: { path: string }) => i.path), password).toContain('password')
    }
    expect((await anonymous.request('/api/auth/register', { method: 'POST', json: { email, password: 'correct horse battery', name: 'r' } })).status).toBe(202)
  })
})

describe('forwarded headers without TRUST_PROXY (issue 18, item 9)', () => {
  it('does not believe X-Forwarded-Host or -Proto: a page of another site that names itself there is still refused', async () => {
    const user = await signUp('xfh')
    const res = await user.request('/api/collection', {
      method: 'POST',
      json: { cardId: 'sv02-012' },
      headers: { 'origin': 'https://evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
    })
    expect(res.status).toBe(403)
  })

  it('does not key rate limits on X-Forwarded-For either', async () => {
    const email = `xff-${Date.now()}@example.test`
    const attempt = (i: number) => anonymous.request('/api/auth/login', { method: 'POST', headers: { 'x-forwarded-for': `203.0.113.${i}` }, json: { email, password: 'wrong password!' } })
    for (let i = 0; i < 10; i++) expect((await attempt(i)).status).toBe(401)
    expect((await attempt(99)).status).toBe(429)
  })
})

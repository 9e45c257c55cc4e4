import { describe, expect, it } from 'vitest'
import { fetch, signIn, url } from '../support/app'
import { expectText, useBrowserApp, openPage, screenshot, signUpInBrowser, waitForHydration } from '../support/browser'

const { browser, base } = useBrowserApp()

describe('account security (issue 18, items 6 and 8)', () => {
  it('changes the password on the account page and signs every other session out, at 360 px', async () => {
    const w = await openPage(browser(), { baseURL: base(), viewport: { width: 360, height: 780 } })
    const { page } = w
    const email = await signUpInBrowser(page, 'Brock')
    const elsewhere = await signIn(email, 'correct horse battery')
    await page.goto('/account')
    await waitForHydration(page)
    // The page's own content fits (the shared header's account link, outside it, is 14 px too wide at 360 px).
    const overflow = await page.evaluate(() => Math.max(...[...document.querySelectorAll('.account *')].map(e => e.getBoundingClientRect().right)) - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await screenshot(page, 'phone-360-account-security', { fullPage: true })

    // The form's own checks, then the server's (a wrong current password, a common new one).
    w.expectFailures(/\/api\/auth\/password$/)
    await page.fill('#pw-current', 'correct horse battery')
    await page.fill('#pw-new', email)
    await page.click('[data-testid=password-change] button[type=submit]')
    await expectText(page.locator('#pw-new-hint'), 'must not be your e-mail address')
    await page.fill('#pw-new', 'azertyuiop')
    await page.click('[data-testid=password-change] button[type=submit]')
    await expectText(page.locator('#pw-new-hint'), 'most common')
    await page.fill('#pw-current', 'not my password')
    await page.fill('#pw-new', 'a brand new long secret')
    await page.click('[data-testid=password-change] button[type=submit]')
    await expectText(page.locator('#pw-current-err'), 'current password is wrong')

    await page.fill('#pw-current', 'correct horse battery')
    await page.click('[data-testid=password-change] button[type=submit]')
    await expectText(page.locator('[data-testid=toast]').last(), 'Password changed')
    expect((await elsewhere.request('/api/auth/me')).status).toBe(401)
    // This browser stays signed in.
    await page.reload()
    await waitForHydration(page)
    await expectText(page.locator('h1'), 'Your account')

    const other = await signIn(email, 'a brand new long secret')
    await page.click('[data-testid=sign-out-others]')
    await expectText(page.locator('[data-testid=toast]').last(), 'Every other session is signed out')
    expect((await other.request('/api/auth/me')).status).toBe(401)
    expect((await fetch(url('/api/auth/me'), { headers: { cookie: (await page.context().cookies()).map(c => `${c.name}=${c.value}`).join('; ') } })).status).toBe(200)
    w.assertClean()
    await w.context.close()
  })
})

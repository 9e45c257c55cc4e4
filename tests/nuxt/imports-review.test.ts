import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { anonymous, type Client, setupApp, signUp, url } from '../support/app'
import { projectFixtures } from '../support/fixtures'

setupApp()

const { dir, labels } = projectFixtures()
const single = labels.find(l => l.kind === 'single' && l.cards[0]?.cardId)!

async function uploadWaiting(client: Client) {
  const form = new FormData()
  form.append('files', new Blob([readFileSync(join(dir, single.file))], { type: 'image/jpeg' }), single.file)
  const res = await client.request('/api/imports/batches?wait=60', { method: 'POST', body: form })
  expect(res.status).toBe(201)
  return (await res.json()).batch
}

describe('review: an added card can be taken back', () => {
  it('undo takes the copies out of the collection and puts the draft back to pending', async () => {
    const ida = await signUp('ida')
    const batch = await uploadWaiting(ida)
    const draft = batch.drafts[0]
    // The same card twice from elsewhere first: undo only takes back what the draft added.
    await ida.api('/api/collection', { method: 'POST', json: { cardId: 'sv02-012', quantity: 2, condition: 'LP' } })
    const selected = await ida.api(`/api/imports/drafts/${draft.id}/select`, { method: 'POST', json: { cardId: 'sv02-012', quantity: 3, condition: 'LP' } })
    expect(selected.userCard.quantity).toBe(5)

    const undone = await ida.api(`/api/imports/drafts/${draft.id}/undo`, { method: 'POST' })
    expect(undone.draft).toMatchObject({ status: 'pending', selectedCardId: null, userCardId: null, selection: null })
    expect((await ida.api('/api/collection')).items.map((i: any) => [i.cardId, i.quantity])).toEqual([['sv02-012', 2]])

    // Undoing twice is refused; select again works, and undo then removes the row it made.
    expect((await ida.request(`/api/imports/drafts/${draft.id}/undo`, { method: 'POST' })).status).toBe(409)
    await ida.api(`/api/imports/drafts/${draft.id}/select`, { method: 'POST', json: { cardId: 'base1-4' } })
    await ida.api(`/api/imports/drafts/${draft.id}/undo`, { method: 'POST' })
    expect((await ida.api('/api/collection')).items.map((i: any) => i.cardId)).toEqual(['sv02-012'])

    // Another user cannot undo it.
    const joe = await signUp('joe')
    await ida.api(`/api/imports/drafts/${draft.id}/select`, { method: 'POST', json: { cardId: 'base1-4' } })
    expect((await joe.request(`/api/imports/drafts/${draft.id}/undo`, { method: 'POST' })).status).toBe(404)
  })
})

describe('API docs', () => {
  it('lists the public API only, with the bearer scheme and this server\'s URL', async () => {
    const res = await anonymous.request('/api/_openapi.json')
    const spec = await res.json()
    const paths = Object.keys(spec.paths)
    expect(paths.every(p => p.startsWith('/api/'))).toBe(true)
    expect(paths).toEqual(expect.arrayContaining(['/api/collection', '/api/imports/batches', '/api/imports/drafts/{id}/undo']))
    expect(JSON.stringify(spec)).not.toMatch(/__nuxt_error|_i18n|App Routes/)
    expect(spec.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' })
    expect(spec.servers).toEqual([{ url: new URL(url('/')).origin, description: expect.any(String) }])
  })

  it('serves ReDoc from the app itself, no CDN', async () => {
    const res = await anonymous.request('/api/redoc')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).not.toMatch(/https?:\/\//)
    for (const asset of html.match(/\/api\/redoc\/assets\/[\w.-]+/g)!) expect((await anonymous.request(asset)).status).toBe(200)
  })

  it('answers 401 Unauthorized, not Server Error', async () => {
    const res = await anonymous.request('/api/collection')
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ statusCode: 401, statusMessage: 'Unauthorized' })
  })
})

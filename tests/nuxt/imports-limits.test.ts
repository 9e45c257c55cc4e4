import { readFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type Client, setupApp, signUp, url } from '../support/app'
import { type PhotoLabel, projectFixtures } from '../support/fixtures'

// A small per-file limit and a 2-second photo lifetime, in a server of their own.
setupApp({ UPLOAD_MAX_FILE_BYTES: '200000', IMAGE_TTL_SECONDS: '2' })

type Label = PhotoLabel
const { dir: FIXTURES, labels: LABELS } = projectFixtures()
const photoOf = (l: Label) => readFileSync(join(FIXTURES, l.file))
// The smallest single-card photo, well under the 200 kB limit.
const SINGLE = LABELS.filter(l => l.kind === 'single' && l.cards[0]?.cardId).sort((a, b) => photoOf(a).length - photoOf(b).length)[0]!

function upload(client: Client, files: { name: string, bytes: Buffer }[]) {
  const form = new FormData()
  for (const f of files) form.append('files', new Blob([new Uint8Array(f.bytes)], { type: 'image/jpeg' }), f.name)
  return client.request('/api/imports/batches?wait=60', { method: 'POST', body: form })
}

describe('upload size limit', () => {
  it('answers 413 naming the photo over the per-file limit, and keeps nothing', async () => {
    const bob = await signUp('bob')
    const small = photoOf(SINGLE)
    expect(small.length).toBeLessThan(200_000)
    // Still a JPEG by its bytes, just too big.
    const big = Buffer.concat([small, Buffer.alloc(250_000)])
    const res = await upload(bob, [{ name: 'small.jpg', bytes: small }, { name: 'big.jpg', bytes: big }])
    expect(res.status).toBe(413)
    expect((await res.json()).message).toMatch(/big\.jpg is too large/)
    expect((await bob.api('/api/imports/batches')).total).toBe(0)
  })
})

describe('upload body cap', () => {
  it('answers 413 to a chunked body (no declared length) as soon as it outgrows any valid upload', async () => {
    const bob = await signUp('bob')
    const target = new URL(url('/api/imports/batches'))
    // 30 files × 200 kB (+ multipart overhead) ≈ 6.1 MB is the most a valid upload can weigh here.
    const chunk = Buffer.alloc(64 * 1024, 0x41)
    const LIMIT = 64 * 1024 * 1024
    const result = await new Promise<{ status: number, sent: number }>((resolvePromise, reject) => {
      let sent = 0
      let answered = false
      const req = httpRequest(target, {
        method: 'POST',
        headers: { ...bob.headers, 'origin': target.origin, 'content-type': 'multipart/form-data; boundary=x', 'transfer-encoding': 'chunked' },
      }, (res) => {
        answered = true
        res.resume()
        resolvePromise({ status: res.statusCode ?? 0, sent })
        req.destroy()
      })
      req.on('error', (error) => { if (!answered) reject(error) })
      // Up to 64 MB, a megabyte at a time: far more than the cap and its buffers, so that a loaded
      // machine's late answer is not mistaken for one that never came.
      const pump = () => {
        for (let burst = 0; !answered && sent < LIMIT && burst < 16; burst++) {
          sent += chunk.length
          if (!req.write(chunk)) return void req.once('drain', pump)
        }
        if (answered) return
        if (sent < LIMIT) return void setImmediate(pump)
        req.end()
      }
      req.write('--x\r\n')
      pump()
    })
    // Read to the end, this garbage would be a 400 (not multipart): 413 comes from the cap alone,
    // answered before the client was done sending (socket buffers hold a few MB more than the cap).
    expect(result.status).toBe(413)
    expect(result.sent).toBeLessThan(LIMIT)
    expect((await bob.api('/api/imports/batches')).total).toBe(0)
  })
})

describe('photo expiry', () => {
  it('answers 410 once the photo expired, while its drafts and crops stay reviewable and selectable', async () => {
    const alice = await signUp('alice')
    const res = await upload(alice, [{ name: SINGLE.file, bytes: photoOf(SINGLE) }])
    expect(res.status).toBe(201)
    const { batch } = await res.json()
    const image = batch.images[0]
    const draft = batch.drafts.find((d: any) => d.cropUrl) ?? batch.drafts[0]

    // The photo lives 2 s from its upload (analysis included): wait it out.
    await new Promise(r => setTimeout(r, Math.max(0, new Date(image.expiresAt).getTime() - Date.now()) + 1500))
    const gone = await alice.request(image.url)
    expect(gone.status).toBe(410)
    expect((await gone.json()).message).toMatch(/This photo has expired/)

    expect((await alice.api(`/api/imports/drafts/${draft.id}`)).draft).toMatchObject({ id: draft.id, status: draft.status, cropUrl: draft.cropUrl })
    expect((await alice.api(`/api/imports/batches/${batch.id}`)).batch.drafts).toHaveLength(batch.drafts.length)
    if (draft.cropUrl) {
      const crop = await alice.request(draft.cropUrl)
      expect(crop.status).toBe(200)
      expect(crop.headers.get('content-type')).toBe('image/jpeg')
    }
    const cardId = SINGLE.cards[0]!.cardId!
    const { userCard } = await alice.api(`/api/imports/drafts/${draft.id}/select`, { method: 'POST', json: { cardId } })
    expect(userCard).toMatchObject({ cardId, quantity: 1, sourceDraftId: draft.id })
  })
})

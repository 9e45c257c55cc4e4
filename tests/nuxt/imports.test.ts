import { readFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { anonymous, type Client, setupApp, signUp, url } from '../support/app'
import { type PhotoLabel, projectFixtures, realDevFixtures } from '../support/fixtures'

setupApp()

type Label = PhotoLabel
const { dir: FIXTURES, labels: LABELS } = projectFixtures()
const bySize = (a: Label, b: Label) => readFileSync(join(FIXTURES, a.file)).length - readFileSync(join(FIXTURES, b.file)).length
const SINGLE = LABELS.filter(l => l.kind === 'single' && l.cards[0]?.cardId).sort(bySize)[0]!
const MULTI = LABELS.filter(l => l.kind === 'multi' && l.cards.length >= 2).sort(bySize)[0]!
const REAL_DEV = realDevFixtures()

interface UploadFile { name: string, bytes: Buffer, type?: string }
const fixture = (label: Label): UploadFile => ({ name: label.file, bytes: readFileSync(join(FIXTURES, label.file)) })

function upload(client: Client, files: UploadFile[], extra: Record<string, string> = {}, query = '') {
  const form = new FormData()
  for (const f of files) form.append('files', new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'image/jpeg' }), f.name)
  for (const [k, v] of Object.entries(extra)) form.append(k, v)
  return client.request(`/api/imports/batches${query}`, { method: 'POST', body: form })
}

/** An upload that waits for its analysis (`?wait=`): the finished batch, 201. */
async function uploadOk(client: Client, files: UploadFile[]) {
  const res = await upload(client, files, {}, '?wait=60')
  const body = await res.json()
  expect(res.status, JSON.stringify(body)).toBe(201)
  return body.batch
}

async function batchCount(client: Client): Promise<number> {
  return (await client.api('/api/imports/batches')).total
}

/** The user's collection row, through GET /api/collection when that route exists. */
async function collectionRow(client: Client, userCardId: string) {
  const res = await client.request('/api/collection?pageSize=100')
  if (res.status === 404) return undefined
  const body = await res.json()
  return body.items.find((i: { id: string }) => i.id === userCardId) ?? null
}

describe('photo import: upload → drafts → select', () => {
  let alice: Client
  let batch: any

  it('uploads photos and, waiting for the analysis, answers 201 with one draft per card found', async () => {
    alice = await signUp('alice')
    batch = await uploadOk(alice, [fixture(SINGLE), fixture(MULTI)])
    expect(batch).toMatchObject({ id: expect.any(String), status: 'ready', createdAt: expect.any(String) })
    expect(batch.images).toHaveLength(2)
    for (const [i, image] of batch.images.entries()) {
      expect(image).toMatchObject({ position: i, status: 'analyzed', failureReason: null, contentType: 'image/jpeg', url: `/api/imports/images/${image.id}` })
      expect(image.width).toBeGreaterThan(100)
      expect(image.height).toBeGreaterThan(100)
      expect(new Date(image.expiresAt).getTime()).toBeGreaterThan(Date.now())
    }
    expect(batch.images.map((i: any) => i.filename)).toEqual([SINGLE.file, MULTI.file])
    const perImage = (id: string) => batch.drafts.filter((d: any) => d.imageId === id)
    expect(perImage(batch.images[0].id).length).toBeGreaterThanOrEqual(1)
    expect(perImage(batch.images[1].id).length).toBeGreaterThanOrEqual(2)
    expect(batch.drafts.map((d: any) => d.position)).toEqual(batch.drafts.map((_: unknown, i: number) => i))

    for (const draft of batch.drafts) {
      expect(draft.status).toMatch(/^(pending|failed)$/)
      expect(Object.keys(draft.read).sort()).toEqual(['hp', 'lang', 'name', 'number', 'printedTotal', 'raw', 'setCode'])
      const scores = draft.candidates.map((c: any) => c.score)
      expect([...scores].sort((a, b) => b - a)).toEqual(scores)
      for (const c of draft.candidates) {
        expect(c).toMatchObject({ cardId: expect.any(String), name: expect.any(String), setId: expect.any(String), setName: expect.any(String), number: expect.any(String), reasons: expect.any(Array) })
        expect(c.score).toBeGreaterThanOrEqual(0)
        expect(c.score).toBeLessThanOrEqual(1)
      }
      if (draft.quad) expect(draft.quad).toHaveLength(4)
    }
    // Both photos hold whole cards: each gives at least one located card with a crop and candidates.
    const located = batch.drafts.filter((d: any) => d.cropUrl && d.candidates.length > 0)
    expect(new Set(located.map((d: any) => d.imageId)).size).toBe(2)
  })

  it('reads the batch back, and lists it with its counts', async () => {
    const again = (await alice.api(`/api/imports/batches/${batch.id}`)).batch
    expect(again).toEqual(batch)
    const list = await alice.api('/api/imports/batches')
    expect(list).toMatchObject({ page: 1, pageSize: 20, total: 1 })
    expect(list.batches[0]).toMatchObject({ id: batch.id, status: 'ready', imageCount: 2, drafts: { total: batch.drafts.length, selected: 0, dismissed: 0 } })
    expect(list.batches[0].drafts.pending + list.batches[0].drafts.failed).toBe(batch.drafts.length)
  })

  it('serves the photo bytes as uploaded, privately, refreshing their expiry', async () => {
    const image = batch.images[0]
    const res = await alice.request(image.url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/jpeg')
    expect(res.headers.get('cache-control')).toMatch(/private/)
    expect(Buffer.from(await res.arrayBuffer()).equals(fixture(SINGLE).bytes)).toBe(true)
    const after = (await alice.api(`/api/imports/batches/${batch.id}`)).batch.images[0]
    expect(new Date(after.expiresAt).getTime()).toBeGreaterThanOrEqual(new Date(image.expiresAt).getTime())
  })

  it('shows one draft and its straightened crop', async () => {
    const draft = batch.drafts.find((d: any) => d.cropUrl)
    expect((await alice.api(`/api/imports/drafts/${draft.id}`)).draft).toEqual(draft)
    const crop = await alice.request(draft.cropUrl)
    expect(crop.status).toBe(200)
    expect(crop.headers.get('content-type')).toBe('image/jpeg')
    const bytes = Buffer.from(await crop.arrayBuffer())
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xFF, 0xD8, 0xFF]))
  })

  it('adds the chosen card to the collection once, however often the draft is selected', async () => {
    const draft = batch.drafts.find((d: any) => d.candidates.length > 0)
    const cardId = draft.candidates[0].cardId
    const first = await alice.api(`/api/imports/drafts/${draft.id}/select`, { method: 'POST', json: { cardId, quantity: 2, condition: 'LP', finish: 'reverse' } })
    expect(first.draft).toMatchObject({ id: draft.id, status: 'selected', selectedCardId: cardId, userCardId: first.userCard.id })
    expect(first.draft.selection).toMatchObject({ cardId, quantity: 2, condition: 'LP', finish: 'reverse', language: 'en' })
    expect(first.userCard).toMatchObject({ cardId, quantity: 2, condition: 'LP', finish: 'reverse', sourceDraftId: draft.id })

    const again = await alice.api(`/api/imports/drafts/${draft.id}/select`, { method: 'POST', json: { cardId, quantity: 5 } })
    expect(again).toEqual(first)
    const row = await collectionRow(alice, first.userCard.id)
    if (row !== undefined) expect(row).toMatchObject({ cardId, quantity: 2, condition: 'LP' })

    const dismiss = await alice.request(`/api/imports/drafts/${draft.id}/dismiss`, { method: 'POST' })
    expect(dismiss.status).toBe(409)
    expect((await dismiss.json()).message).toMatch(/already added/)
  })

  it('takes any catalogue card, not only a candidate; refuses unknown cards (422) and bad bodies (400)', async () => {
    const current = (await alice.api(`/api/imports/batches/${batch.id}`)).batch
    const draft = current.drafts.find((d: any) => d.status === 'pending' && d.candidates.length > 0)
    // A real catalogue card that the analysis did not propose.
    const offered = new Set(draft.candidates.map((c: any) => c.cardId))
    const other = ['base1-4', 'base1-2', 'base1-58'].find(id => !offered.has(id))!
    const unknown = await alice.request(`/api/imports/drafts/${draft.id}/select`, { method: 'POST', json: { cardId: 'no-such-card-1' } })
    expect(unknown.status).toBe(422)
    const bad = await alice.request(`/api/imports/drafts/${draft.id}/select`, { method: 'POST', json: { cardId: other, quantity: 0, condition: 'mint' } })
    expect(bad.status).toBe(400)
    expect((await bad.json()).data.issues.map((i: any) => i.path).sort()).toEqual(['condition', 'quantity'])
    expect((await alice.api(`/api/imports/drafts/${draft.id}`)).draft.status).toBe('pending')

    const chosen = await alice.api(`/api/imports/drafts/${draft.id}/select`, { method: 'POST', json: { cardId: other } })
    expect(chosen.userCard).toMatchObject({ cardId: other, quantity: 1 })
    expect(chosen.draft.selectedCardId).toBe(other)
  })

  it('dismisses a draft (repeatable), after which it cannot be selected', async () => {
    const current = (await alice.api(`/api/imports/batches/${batch.id}`)).batch
    const draft = current.drafts.find((d: any) => d.status === 'pending' || d.status === 'failed')
    expect(draft).toBeDefined()
    expect((await alice.api(`/api/imports/drafts/${draft.id}/dismiss`, { method: 'POST' })).draft.status).toBe('dismissed')
    expect((await alice.api(`/api/imports/drafts/${draft.id}/dismiss`, { method: 'POST' })).draft.status).toBe('dismissed')
    const select = await alice.request(`/api/imports/drafts/${draft.id}/select`, { method: 'POST', json: { cardId: 'base1-4' } })
    expect(select.status).toBe(409)
    expect((await select.json()).message).toMatch(/dismissed/)
    const list = await alice.api('/api/imports/batches')
    expect(list.batches[0].drafts).toMatchObject({ selected: 2, dismissed: 1 })
  })

  it('makes exactly one collection change from concurrent selects of one draft', async () => {
    const erin = await signUp('erin')
    const b = await uploadOk(erin, [fixture(SINGLE)])
    const draft = b.drafts[0]
    const results = await Promise.all(Array.from({ length: 6 }, () =>
      erin.api(`/api/imports/drafts/${draft.id}/select`, { method: 'POST', json: { cardId: 'base1-4', condition: 'MP' } })))
    expect(new Set(results.map(r => r.userCard.id)).size).toBe(1)
    expect(new Set(results.map(r => r.userCard.quantity))).toEqual(new Set([1]))
    const row = await collectionRow(erin, results[0].userCard.id)
    if (row !== undefined) expect(row.quantity).toBe(1)
  })
})

describe('photo import as jobs: 202 at once, drafts as each photo finishes', () => {
  it('answers 202 at once with the batch analysing and each photo queued, then shows its drafts and settles', async () => {
    const fay = await signUp('fay')
    const started = Date.now()
    const res = await upload(fay, [fixture(SINGLE), fixture(MULTI)])
    const ms = Date.now() - started
    const { batch } = await res.json()
    expect(res.status).toBe(202)
    expect(ms).toBeLessThan(5000)
    expect(batch).toMatchObject({ status: 'analyzing', drafts: [] })
    expect(batch.images.map((i: any) => [i.filename, i.status])).toEqual([[SINGLE.file, expect.stringMatching(/^(queued|analyzing)$/)], [MULTI.file, expect.stringMatching(/^(queued|analyzing)$/)]])
    const listed = (await fay.api('/api/imports/batches')).batches[0]
    expect(listed).toMatchObject({ id: batch.id, imageCount: 2 })
    expect(listed.status === 'analyzing' ? listed.images.pending : 0).toBeGreaterThanOrEqual(0)

    // Polled as the review page does: statuses only move forward, drafts only accumulate.
    const order = ['queued', 'analyzing', 'analyzed']
    let last = batch
    const deadline = Date.now() + 120_000
    while (last.status === 'analyzing' && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 300))
      const next = (await fay.api(`/api/imports/batches/${batch.id}`)).batch
      for (const [i, image] of next.images.entries()) expect(order.indexOf(image.status)).toBeGreaterThanOrEqual(order.indexOf(last.images[i].status))
      expect(next.drafts.length).toBeGreaterThanOrEqual(last.drafts.length)
      last = next
    }
    expect(last.status).toBe('ready')
    expect(last.images.map((i: any) => i.status)).toEqual(['analyzed', 'analyzed'])
    expect(last.drafts.map((d: any) => d.position)).toEqual(last.drafts.map((_: unknown, i: number) => i))
    expect((await fay.api('/api/imports/batches')).batches[0]).toMatchObject({ status: 'ready', images: { pending: 0, analyzed: 2, failed: 0 } })
  })

  it('waits with ?wait= for the finished batch (201), answers the unfinished one when time runs out (202), and bounds the wait (400)', async () => {
    const gus = await signUp('gus')
    const short = await upload(gus, [fixture(MULTI)], {}, '?wait=0.05')
    expect(short.status).toBe(202)
    expect((await short.json()).batch.status).toBe('analyzing')
    const long = await upload(gus, [fixture(SINGLE)], {}, '?wait=60')
    expect(long.status).toBe(201)
    expect((await long.json()).batch).toMatchObject({ status: 'ready', images: [{ status: 'analyzed' }] })
    for (const bad of ['?wait=61', '?wait=-1', '?wait=soon']) {
      const res = await upload(gus, [fixture(SINGLE)], {}, bad)
      expect(res.status, bad).toBe(400)
    }
    expect(await batchCount(gus)).toBe(2)
  })

  it('strips bidirectional controls (U+202E…) from file names', async () => {
    const hal = await signUp('hal')
    const res = await upload(hal, [{ name: 'card\u202Egpj.exe', bytes: fixture(SINGLE).bytes }])
    expect(res.status).toBe(202)
    expect((await res.json()).batch.images[0].filename).toBe('cardgpj.exe')
  })
})

describe('photo import: every id is private', () => {
  it('answers 404 for another user\'s batch, draft, photo, crop, select and dismiss, and for bad ids', async () => {
    const owner = await signUp('owner')
    const other = await signUp('other')
    const batch = await uploadOk(owner, [fixture(SINGLE)])
    const draft = batch.drafts.find((d: any) => d.cropUrl) ?? batch.drafts[0]
    const image = batch.images[0]
    const attempts: [string, string, unknown?][] = [
      ['GET', `/api/imports/batches/${batch.id}`],
      ['GET', `/api/imports/drafts/${draft.id}`],
      ['GET', `/api/imports/drafts/${draft.id}/crop`],
      ['GET', `/api/imports/images/${image.id}`],
      ['POST', `/api/imports/drafts/${draft.id}/select`, { cardId: 'base1-4' }],
      ['POST', `/api/imports/drafts/${draft.id}/dismiss`],
      ['GET', '/api/imports/batches/not-a-uuid'],
      ['GET', '/api/imports/drafts/00000000-0000-0000-0000-000000000000'],
      ['GET', '/api/imports/images/12345'],
    ]
    for (const [method, path, json] of attempts) {
      const res = await other.request(path, { method, json })
      expect(res.status, `${method} ${path}`).toBe(404)
    }
    expect((await other.api('/api/imports/batches')).total).toBe(0)
    // Nothing the other user tried changed the owner's draft.
    expect((await owner.api(`/api/imports/drafts/${draft.id}`)).draft.status).toBe(draft.status)
    for (const [method, path] of attempts.slice(0, 6)) {
      expect((await anonymous.request(path, { method })).status, `${method} ${path}`).toBe(401)
    }
  })
})

describe('photo import: bad input', () => {
  it('answers 400 when no file is sent', async () => {
    const bob = await signUp('bob')
    const fieldOnly = await upload(bob, [], { note: 'hello' })
    expect(fieldOnly.status).toBe(400)
    expect((await fieldOnly.json()).message).toMatch(/files/)
    expect((await bob.request('/api/imports/batches', { method: 'POST', json: {} })).status).toBe(400)
    expect((await bob.request('/api/imports/batches', { method: 'POST' })).status).toBe(400)
    expect(await batchCount(bob)).toBe(0)
  })

  it('answers 415 for a text file named .jpg and keeps nothing, even beside a real photo', async () => {
    const bob = await signUp('bob')
    const res = await upload(bob, [fixture(SINGLE), { name: 'notes.jpg', bytes: Buffer.from('these are not pixels\n'.repeat(50)), type: 'image/jpeg' }])
    expect(res.status).toBe(415)
    const body = await res.json()
    expect(body.message).toMatch(/notes\.jpg is not an image/)
    expect(JSON.stringify(body)).not.toMatch(/at .*\.m?js/)
    expect(await batchCount(bob)).toBe(0)
  })

  it('answers 413 for more files than allowed', async () => {
    const bob = await signUp('bob')
    const tiny = fixture(SINGLE).bytes.subarray(0, 64)
    const res = await upload(bob, Array.from({ length: 31 }, (_, i) => ({ name: `p${i}.jpg`, bytes: tiny })))
    expect(res.status).toBe(413)
    expect((await res.json()).message).toMatch(/at most 30/)
    expect(await batchCount(bob)).toBe(0)
  })

  it('answers 413 at once for a declared body no valid upload can reach, without reading it', async () => {
    const bob = await signUp('bob')
    const target = new URL(url('/api/imports/batches'))
    // fetch cannot lie about Content-Length: a raw request declares 2 GB and sends a few bytes.
    const status = await new Promise<number>((resolvePromise, reject) => {
      const req = httpRequest(target, {
        method: 'POST',
        headers: { ...bob.headers, 'origin': target.origin, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(2 * 1024 ** 3) },
      }, (res) => {
        res.resume()
        resolvePromise(res.statusCode ?? 0)
        req.destroy()
      })
      req.on('error', reject)
      req.write('--x\r\n')
    })
    expect(status).toBe(413)
    expect(await batchCount(bob)).toBe(0)
  })

  it('fails only the corrupt photo of a batch, with a reason, and analyses the rest', async () => {
    const carol = await signUp('carol')
    const whole = fixture(SINGLE).bytes
    const truncated = { name: 'truncated.jpg', bytes: whole.subarray(0, Math.min(2048, whole.length >> 3)) }
    const batch = await uploadOk(carol, [truncated, fixture(SINGLE)])
    expect(batch.status).toBe('partial')
    expect(batch.images[0]).toMatchObject({ filename: 'truncated.jpg', status: 'failed', width: null })
    // In words a user understands: no library's message (`VipsJpeg: premature end of JPEG image`).
    expect(batch.images[0].failureReason).toMatch(/damaged or incomplete/)
    expect(JSON.stringify(batch)).not.toMatch(/vips|premature|jpeglib/i)
    // Bytes that could not be decoded are not kept, and the photo says so.
    const gone = await carol.request(batch.images[0].url)
    expect(gone.status).toBe(410)
    expect((await gone.json()).message).toMatch(/could not be read as a photo/)
    const broken = batch.drafts.filter((d: any) => d.imageId === batch.images[0].id)
    expect(broken).toHaveLength(1)
    expect(broken[0]).toMatchObject({ status: 'failed', cropUrl: null, candidates: [], confident: false })
    expect(broken[0].failureReason.length).toBeGreaterThan(5)
    expect(batch.images[1].status).toBe('analyzed')
    expect(batch.drafts.some((d: any) => d.imageId === batch.images[1].id && d.candidates.length > 0)).toBe(true)
    // The crop of a failed draft does not exist.
    expect((await carol.request(`/api/imports/drafts/${broken[0].id}/crop`)).status).toBe(404)
  })
})

describe.runIf(REAL_DEV)('photo import: a real phone photo', () => {
  it('runs the whole flow on a real-dev photo', async () => {
    const { dir, labels } = REAL_DEV!
    const label = labels.find(l => l.kind === 'single' && l.file.endsWith('.jpg') && l.cards[0]?.cardId) ?? labels[0]!
    const dana = await signUp('dana')
    const batch = await uploadOk(dana, [{ name: label.file, bytes: readFileSync(join(dir, label.file)) }])
    expect(batch.images[0].status).toBe('analyzed')
    const draft = batch.drafts.find((d: any) => d.candidates.length > 0)
    expect(draft).toBeDefined()
    const cardId = label.cards[0]!.cardId!
    const { userCard } = await dana.api(`/api/imports/drafts/${draft.id}/select`, { method: 'POST', json: { cardId } })
    expect(userCard).toMatchObject({ cardId, quantity: 1 })
    const row = await collectionRow(dana, userCard.id)
    if (row !== undefined) expect(row).toMatchObject({ cardId, quantity: 1 })
  })

  it('gives one draft per card of a real binder page', async () => {
    const { dir, labels } = REAL_DEV!
    const page = labels.filter(l => l.kind === 'multi').sort((a, b) => a.cards.length - b.cards.length)[0]!
    const erin = await signUp('erin')
    const batch = await uploadOk(erin, [{ name: page.file, bytes: readFileSync(join(dir, page.file)) }])
    const located = batch.drafts.filter((d: any) => d.quad && d.cropUrl)
    expect(located.length).toBeGreaterThanOrEqual(2)
    expect(located.length).toBeLessThanOrEqual(page.cards.length + 1)
  })
})

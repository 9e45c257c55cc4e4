/**
 * Load benchmark against a running server on loopback:
 *   npm run bench:load -- --users 10 --photos 5 [--batch] [--url http://127.0.0.1:3000] [--dir tests/fixtures] [--timeout 600]
 * N users sign up, upload their photos concurrently (one request per photo, or with --batch one
 * request holding all of a user's photos: `--users 1 --photos 20 --batch`), select the first
 * candidate of every draft, then the script checks integrity: every image has drafts and every
 * select made exactly one collection change. Bounded in count and time; stops by itself.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { extname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '10' },
    photos: { type: 'string', default: '5' },
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    dir: { type: 'string', default: 'tests/fixtures' },
    timeout: { type: 'string', default: '600' },
    batch: { type: 'boolean', default: false },
  },
})
const users = Math.min(100, Number(values.users))
const photosPerUser = Math.min(50, Number(values.photos))
const base = new URL(values.url!)
if (!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname) && !base.hostname.startsWith('127.')) {
  throw new Error('bench:load only drives servers on loopback')
}
const deadline = Date.now() + Number(values.timeout) * 1000
const photoDir = resolve(values.dir!)
const photos = readdirSync(photoDir).filter(f => /\.(jpe?g|png|webp)$/i.test(f)).sort().map(f => ({ name: f, bytes: readFileSync(join(photoDir, f)) }))
if (!photos.length) throw new Error(`no photos in ${photoDir}`)

interface Session { cookie: string, email: string }
const errors: string[] = []
const uploadMs: number[] = []

async function call(session: Session | null, path: string, init: RequestInit = {}) {
  if (Date.now() > deadline) throw new Error('time budget exhausted')
  const headers = new Headers(init.headers)
  headers.set('origin', base.origin)
  if (session) headers.set('cookie', session.cookie)
  return fetch(new URL(path, base), { ...init, headers, signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())) })
}

async function signUp(i: number): Promise<Session> {
  const email = `load-${Date.now().toString(36)}-${i}@example.test`
  const res = await call(null, '/api/auth/register', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'load test password', name: `Load ${i}` }),
  })
  if (res.status !== 201) throw new Error(`register ${res.status}: ${await res.text()}`)
  return { email, cookie: res.headers.getSetCookie().map(c => c.split(';')[0]).join('; ') }
}

const mime = (name: string) => ({ '.png': 'image/png', '.webp': 'image/webp' } as Record<string, string>)[extname(name).toLowerCase()] ?? 'image/jpeg'

async function runUser(i: number) {
  const session = await signUp(i)
  const mine = Array.from({ length: photosPerUser }, (_, k) => photos[(i * photosPerUser + k) % photos.length]!)
  const requests = values.batch ? [mine] : mine.map(photo => [photo])
  const batches = await Promise.all(requests.map(async (group) => {
    const form = new FormData()
    for (const photo of group) form.append('files', new Blob([photo.bytes], { type: mime(photo.name) }), photo.name)
    const started = performance.now()
    const res = await call(session, '/api/imports/batches', { method: 'POST', body: form })
    uploadMs.push(performance.now() - started)
    if (res.status !== 201) {
      errors.push(`user ${i} upload ${group.map(p => p.name).join(',')}: ${res.status} ${(await res.text()).slice(0, 200)}`)
      return null
    }
    return (await res.json()).batch as { id: string, images: { id: string }[], drafts: { id: string, imageId: string, status: string, candidates: { cardId: string }[] }[] }
  }))

  let selects = 0
  let integrity = true
  for (const batch of batches) {
    if (!batch) continue
    for (const image of batch.images) {
      if (!batch.drafts.some(d => d.imageId === image.id)) {
        integrity = false
        errors.push(`user ${i}: image ${image.id} has no draft`)
      }
    }
    for (const draft of batch.drafts) {
      const cardId = draft.candidates[0]?.cardId
      if (draft.status !== 'pending' || !cardId) continue
      const res = await call(session, `/api/imports/drafts/${draft.id}/select`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ cardId }),
      })
      if (res.ok) selects++
      else errors.push(`user ${i} select ${draft.id}: ${res.status}`)
    }
  }
  const collection = await (await call(session, '/api/collection?pageSize=1')).json() as { totals: { cards: number } }
  if (collection.totals.cards !== selects) {
    integrity = false
    errors.push(`user ${i}: ${selects} selects but ${collection.totals.cards} cards in the collection`)
  }
  return { selects, integrity }
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : Number.NaN
}

const started = performance.now()
const results = await Promise.allSettled(Array.from({ length: users }, (_, i) => runUser(i)))
const seconds = (performance.now() - started) / 1000
for (const r of results) if (r.status === 'rejected') errors.push(`${r.reason}${r.reason?.cause ? ` (${r.reason.cause})` : ''}`)
const ok = results.filter(r => r.status === 'fulfilled').map(r => (r as PromiseFulfilledResult<{ selects: number, integrity: boolean }>).value)
const integrity = ok.length === users && ok.every(r => r.integrity)
for (const e of errors.slice(0, 20)) console.error(`error: ${e}`)
console.log(`users=${users} photos=${users * photosPerUser} uploads_ok=${uploadMs.length - errors.filter(e => e.includes('upload')).length} selects=${ok.reduce((a, r) => a + r.selects, 0)} seconds=${seconds.toFixed(1)} throughput_photos_per_s=${(users * photosPerUser / seconds).toFixed(2)} upload_p50_ms=${Math.round(percentile(uploadMs, 0.5))} upload_p95_ms=${Math.round(percentile(uploadMs, 0.95))} errors=${errors.length} integrity=${integrity ? 'ok' : 'FAILED'}`)
process.exitCode = errors.length || !integrity ? 1 : 0

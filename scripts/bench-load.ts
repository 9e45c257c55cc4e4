/**
 * Load benchmark on loopback. N users sign up, upload their photos concurrently (one request per
 * photo, or with --batch one request holding all of a user's photos), follow their batches until
 * every photo is analysed, select the first candidate of every draft, then integrity is checked:
 * every photo settled with drafts, and every select made exactly one collection change.
 *
 *   npm run bench:load -- --users 10 --photos 5 [--batch] [--url http://127.0.0.1:3000] [--dir tests/fixtures]
 *
 * With --spawn it starts the built app itself (`.output`, on DATABASE_URL and REDIS_URL from the
 * environment): a web process with ANALYSIS_WORKERS=0 and, for each count of --workers (say 1,2),
 * that many `worker.mjs` processes, one run per count, side by side; it reports the peak RSS of
 * the web process and of the workers, and the web process's event-loop delay. --big 30x15 instead
 * uploads one batch of 30 photos of 15 MB while other users keep browsing. Bounded in count and
 * time; stops by itself.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
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
    spawn: { type: 'boolean', default: false },
    workers: { type: 'string', default: '1,2' },
    big: { type: 'string' },
  },
})
const users = Math.min(100, Number(values.users))
const photosPerUser = Math.min(50, Number(values.photos))
const timeoutMs = Number(values.timeout) * 1000
const photoDir = resolve(values.dir!)
const photos = readdirSync(photoDir).filter(f => /\.(jpe?g|png|webp)$/i.test(f)).sort().map(f => ({ name: f, bytes: readFileSync(join(photoDir, f)) }))
if (!photos.length) throw new Error(`no photos in ${photoDir}`)
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))
const mime = (name: string) => ({ '.png': 'image/png', '.webp': 'image/webp' } as Record<string, string>)[extname(name).toLowerCase()] ?? 'image/jpeg'
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : Number.NaN
}

interface Photo { name: string, bytes: Buffer }
interface Session { cookie: string }
interface BatchDto { id: string, status: string, images: { id: string, status: string }[], drafts: { id: string, imageId: string, status: string, candidates: { cardId: string }[] }[] }

function client(base: URL, deadline: number) {
  return async (session: Session | null, path: string, init: RequestInit = {}) => {
    if (Date.now() > deadline) throw new Error('time budget exhausted')
    const headers = new Headers(init.headers)
    headers.set('origin', base.origin)
    if (session) headers.set('cookie', session.cookie)
    return fetch(new URL(path, base), { ...init, headers, signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())) })
  }
}
type Call = ReturnType<typeof client>

/** Signs up (202 whether or not the address was free: it tells nobody), then signs in for the session cookie. */
async function signUp(call: Call, tag: string): Promise<Session> {
  const email = `load-${Date.now().toString(36)}-${tag}-${randomBytes(3).toString('hex')}@example.test`
  const password = 'load test password'
  const post = (path: string, body: unknown) => call(null, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const registered = await post('/api/auth/register', { email, password, name: `Load ${tag}` })
  if (registered.status !== 202) throw new Error(`register ${registered.status}: ${await registered.text()}`)
  const res = await post('/api/auth/login', { email, password })
  if (res.status !== 200) throw new Error(`sign-in ${res.status}: ${await res.text()}`)
  return { cookie: res.headers.getSetCookie().map(c => c.split(';')[0]).join('; ') }
}

function form(group: Photo[]) {
  const body = new FormData()
  for (const photo of group) body.append('files', new Blob([new Uint8Array(photo.bytes)], { type: mime(photo.name) }), photo.name)
  return body
}

/** What following batches cost: each poll's time and size (the review page polls the same route). */
const polls: { ms: number, bytes: number }[] = []

/** Follows a batch until no photo is waiting; answers it and when it settled. */
async function settle(call: Call, session: Session, id: string): Promise<{ batch: BatchDto, at: number }> {
  for (let delay = 200; ; delay = Math.min(1000, delay * 1.5)) {
    const sent = performance.now()
    const res = await call(session, `/api/imports/batches/${id}`)
    const text = await res.text()
    polls.push({ ms: performance.now() - sent, bytes: text.length })
    const { batch } = JSON.parse(text) as { batch: BatchDto }
    if (batch.status !== 'analyzing') return { batch, at: performance.now() }
    await sleep(delay)
  }
}

/** The 10 users × 5 photos scenario (or one user's --batch): the numbers of one line. */
async function loadRun(base: URL) {
  const call = client(base, Date.now() + timeoutMs)
  const errors: string[] = []
  const uploadMs: number[] = []
  const firstByteToReady: number[] = []
  let lastReady = 0
  polls.length = 0
  const started = performance.now()

  async function runUser(i: number) {
    const session = await signUp(call, String(i))
    const mine = Array.from({ length: photosPerUser }, (_, k) => photos[(i * photosPerUser + k) % photos.length]!)
    const groups = values.batch ? [mine] : mine.map(photo => [photo])
    const batches = await Promise.all(groups.map(async (group) => {
      const sent = performance.now()
      const res = await call(session, '/api/imports/batches', { method: 'POST', body: form(group) })
      uploadMs.push(performance.now() - sent)
      if (res.status !== 202 && res.status !== 201) {
        errors.push(`user ${i} upload ${group.map(p => p.name).join(',')}: ${res.status} ${(await res.text()).slice(0, 200)}`)
        return null
      }
      const { batch, at } = await settle(call, session, ((await res.json()) as { batch: BatchDto }).batch.id)
      firstByteToReady.push(at - sent)
      lastReady = Math.max(lastReady, at)
      return batch
    }))

    let selects = 0
    let integrity = true
    for (const batch of batches) {
      if (!batch) continue
      for (const image of batch.images) {
        if (!['analyzed', 'failed'].includes(image.status) || !batch.drafts.some(d => d.imageId === image.id)) {
          integrity = false
          errors.push(`user ${i}: photo ${image.id} ${image.status} with ${batch.drafts.filter(d => d.imageId === image.id).length} drafts`)
        }
      }
      for (const draft of batch.drafts) {
        const cardId = draft.candidates[0]?.cardId
        if (draft.status !== 'pending' || !cardId) continue
        const res = await call(session, `/api/imports/drafts/${draft.id}/select`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cardId }) })
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

  const results = await Promise.allSettled(Array.from({ length: users }, (_, i) => runUser(i)))
  for (const r of results) if (r.status === 'rejected') errors.push(`${r.reason}${r.reason?.cause ? ` (${r.reason.cause})` : ''}`)
  const ok = results.filter(r => r.status === 'fulfilled').map(r => (r as PromiseFulfilledResult<{ selects: number, integrity: boolean }>).value)
  const readyS = (lastReady - started) / 1000
  const total = users * photosPerUser
  for (const e of errors.slice(0, 20)) console.error(`error: ${e}`)
  return {
    line: `users=${users} photos=${total} uploads_ok=${uploadMs.length - errors.filter(e => e.includes('upload')).length} `
      + `upload_p50_ms=${Math.round(percentile(uploadMs, 0.5))} upload_p95_ms=${Math.round(percentile(uploadMs, 0.95))} `
      + `last_draft_ready_s=${readyS.toFixed(1)} photos_per_s=${(total / readyS).toFixed(2)} `
      + `first_byte_to_ready_p95_s=${(percentile(firstByteToReady, 0.95) / 1000).toFixed(1)} `
      + `poll_p50_ms=${Math.round(percentile(polls.map(p => p.ms), 0.5))} poll_p95_ms=${Math.round(percentile(polls.map(p => p.ms), 0.95))} poll_max_kb=${Math.round(Math.max(0, ...polls.map(p => p.bytes)) / 1024)} `
      + `selects=${ok.reduce((a, r) => a + r.selects, 0)} errors=${errors.length} integrity=${ok.length === users && ok.every(r => r.integrity) ? 'ok' : 'FAILED'}`,
    failed: errors.length > 0 || !(ok.length === users && ok.every(r => r.integrity)),
  }
}

/** One upload of `count` photos of `mb` MB while other users keep browsing: their latency, and the web process's event-loop delay. */
async function bigRun(base: URL, count: number, mb: number, loopDelay: () => Promise<Record<string, number> | null>) {
  const call = client(base, Date.now() + timeoutMs)
  const head = photos.find(p => p.name.endsWith('.jpg'))!.bytes.subarray(0, 4)
  // Big "photos": a JPEG header then noise (they fail to decode, quickly: the upload is what is measured).
  const big = Array.from({ length: count }, (_, i) => ({ name: `big-${i}.jpg`, bytes: Buffer.concat([head, randomBytes(mb * 1024 * 1024 - 4)]) }))
  const [uploader, ...browsers] = await Promise.all(Array.from({ length: 6 }, (_, i) => signUp(call, `big-${i}`)))
  let uploading = true
  const latencies: number[] = []
  let failures = 0
  const browse = async (session: Session) => {
    for (let i = 0; uploading; i++) {
      const sent = performance.now()
      const res = await call(session, i % 2 ? '/api/imports/batches' : '/api/cards?q=pika').catch(() => null)
      if (!res?.ok) failures++
      await res?.arrayBuffer()
      latencies.push(performance.now() - sent)
      await sleep(20)
    }
  }
  await loopDelay() // starts a new measurement
  const sent = performance.now()
  const browsing = Promise.all(browsers.map(browse))
  const res = await call(uploader!, '/api/imports/batches', { method: 'POST', body: form(big) })
  const uploadS = (performance.now() - sent) / 1000
  uploading = false
  await browsing
  const loop = await loopDelay()
  return {
    line: `big_upload=${count}x${mb}MB status=${res.status} upload_s=${uploadS.toFixed(1)} `
      + `others_requests=${latencies.length} others_p99_ms=${Math.round(percentile(latencies, 0.99))} others_failed=${failures} `
      + `event_loop_p50_ms=${loop?.p50 ?? 'n/a'} event_loop_p99_ms=${loop?.p99 ?? 'n/a'} event_loop_max_ms=${loop?.max ?? 'n/a'}`,
    failed: res.status !== 202 || failures > 0,
  }
}

// --- Spawned processes (--spawn) -------------------------------------------------------------

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => done(port))
    })
  })
}

const rssOf = (pid: number) => {
  try {
    return Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)?.[1] ?? 0) * 1024
  }
  catch {
    return 0
  }
}

interface Spawned { child: ChildProcess, peak: number, output: string }

function launch(args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, args, { env: { ...process.env, NODE_ENV: 'production', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const proc: Spawned = { child, peak: 0, output: '' }
  child.stdout!.on('data', (d: Buffer) => { proc.output += d })
  child.stderr!.on('data', (d: Buffer) => { proc.output += d })
  return proc
}

async function until(check: () => Promise<boolean> | boolean, ms: number, what: string) {
  const end = Date.now() + ms
  while (!(await Promise.resolve().then(check).catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(200)
  }
}

async function withSpawnedApp<T>(workers: number, fn: (base: URL, loopDelay: () => Promise<Record<string, number> | null>) => Promise<T>) {
  const server = resolve('.output/server')
  if (!existsSync(join(server, 'worker.mjs'))) throw new Error('no build: run `npm run build` first')
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL) throw new Error('--spawn needs DATABASE_URL and REDIS_URL')
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'pokeventory-bench-'))
  const loopFile = join(dataDir, 'loop-delay.json')
  const web = launch(['--import', resolve('scripts/loop-delay.mjs'), join(server, 'index.mjs')], {
    PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOOP_DELAY_FILE: loopFile,
    NUXT_SESSION_PASSWORD: process.env.NUXT_SESSION_PASSWORD ?? randomBytes(24).toString('hex'),
    ANALYSIS_WORKERS: workers > 0 ? '0' : '1',
    // Every simulated user signs up from this one address.
    RATE_LIMIT_REGISTER_PER_HOUR: '10000',
  })
  const base = new URL(`http://127.0.0.1:${port}`)
  const procs = [web]
  try {
    await until(async () => (await fetch(new URL('/api/health', base))).ok, 120_000, `the web process:\n${web.output}`)
    for (let i = 0; i < workers; i++) {
      const worker = launch([join(server, 'worker.mjs')], {})
      procs.push(worker)
      await until(() => /analysing up to/.test(worker.output), 120_000, `worker ${i}:\n${worker.output}`)
    }
    for (const p of procs) p.peak = rssOf(p.child.pid!)
    const sampler = setInterval(() => { for (const p of procs) p.peak = Math.max(p.peak, rssOf(p.child.pid!)) }, 100)
    const loopDelay = async () => {
      web.child.kill('SIGUSR2')
      await sleep(300)
      return existsSync(loopFile) ? JSON.parse(readFileSync(loopFile, 'utf8')) : null
    }
    try {
      const result = await fn(base, loopDelay)
      const mb = (n: number) => Math.round(n / 1024 / 1024)
      return { result, rss: `web_peak_rss_mb=${mb(web.peak)}${workers ? ` worker_peak_rss_mb=${mb(Math.max(...procs.slice(1).map(p => p.peak)))}` : ''}` }
    }
    finally {
      clearInterval(sampler)
    }
  }
  finally {
    await Promise.all(procs.map(p => new Promise<void>((done) => {
      if (p.child.exitCode !== null) return done()
      p.child.once('exit', () => done())
      p.child.kill('SIGTERM')
    })))
    rmSync(dataDir, { recursive: true, force: true })
  }
}

// --- Main ---------------------------------------------------------------------------------------

let failed = false
const big = values.big?.match(/^(\d+)x(\d+)$/)
const scenario = (base: URL, loopDelay: () => Promise<Record<string, number> | null>) =>
  big ? bigRun(base, Math.min(50, Number(big[1])), Math.min(50, Number(big[2])), loopDelay) : loadRun(base)

if (values.spawn) {
  for (const workers of values.workers!.split(',').map(Number)) {
    const { result, rss } = await withSpawnedApp(workers, scenario)
    console.log(`workers=${workers} ${result.line} ${rss}`)
    failed ||= result.failed
  }
}
else {
  const base = new URL(values.url!)
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname) && !base.hostname.startsWith('127.')) {
    throw new Error('bench:load only drives servers on loopback')
  }
  const result = await scenario(base, async () => null)
  console.log(result.line)
  failed = result.failed
}
process.exitCode = failed ? 1 : 0

import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { rootDir } from '../support/app'
import { type AppProcess, clientOn, embeddedDataDir, registerOn, startWeb, startWorker, uploadTo, type WebClient } from '../support/processes'
import { redisAnswers, restoreServices, startRedis, stopRedis, waitFor } from '../support/services'

// Processes that die: the analysis jobs survive a killed worker or web process, a poison photo,
// a shutdown, and Redis going away. Embedded cases run on the default pass, the Redis + Postgres
// ones only where CI provides the real services (PV_SERVICES=real); they start their own web
// servers and workers from the build, and kill them.
const REAL = process.env.PV_SERVICES === 'real' && !!process.env.DATABASE_URL && !!process.env.REDIS_URL
const EMBEDDED = !process.env.DATABASE_URL

const run = promisify(execFile)
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))
const fixture = (name: string) => ({ name, bytes: readFileSync(join(rootDir, 'tests/fixtures', name)) })
const PHOTOS = ['syn1-001.jpg', 'syn1-013.jpg', 'syn1-015.jpg', 'two-cards-side-by-side.jpg']

const started: AppProcess[] = []
const track = <T extends AppProcess>(p: T) => {
  started.push(p)
  return p
}
afterEach(async () => {
  for (const p of started.splice(0)) if (p.alive()) await p.stop('SIGKILL').catch(() => {})
})

async function batchOf(client: WebClient, id: string) {
  return (await client.api(`/api/imports/batches/${id}`)).batch
}

/** Waits until one of the batch's photos is being analysed; answers its id. */
async function photoAnalysing(client: WebClient, batchId: string, timeoutMs = 60_000): Promise<string> {
  let id = ''
  await waitFor(async () => {
    const batch = await batchOf(client, batchId)
    id = batch.images.find((i: any) => i.status === 'analyzing')?.id ?? ''
    return !!id
  }, timeoutMs, 'a photo to be analysed', 50)
  return id
}

async function settled(client: WebClient, batchId: string, timeoutMs = 90_000) {
  let batch: any
  await waitFor(async () => {
    batch = await batchOf(client, batchId)
    return batch.status !== 'analyzing'
  }, timeoutMs, `batch ${batchId} to settle`, 250)
  return batch
}

/** Each photo's drafts, written once: positions unique, all photos accounted for. */
function expectDraftsOnce(batch: any) {
  expect(batch.drafts.map((d: any) => d.position)).toEqual(batch.drafts.map((_: unknown, i: number) => i))
  for (const image of batch.images) expect(batch.drafts.filter((d: any) => d.imageId === image.id).length, image.filename).toBeGreaterThanOrEqual(1)
  expect(new Set(batch.drafts.map((d: any) => d.id)).size).toBe(batch.drafts.length)
}

describe.runIf(EMBEDDED)('embedded: the web process is the worker', () => {
  const dirs: string[] = []
  afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })
  const env = (dataDir: string, extra: Record<string, string> = {}) => ({ DATA_DIR: dataDir, ANALYSIS_LEASE_SECONDS: '2', ...extra })

  it('killed mid-upload (SIGKILL), it leaves no orphaned photo: the restart removes the half-received upload and its bytes', async () => {
    const dataDir = embeddedDataDir()
    dirs.push(dataDir)
    const web = track(await startWeb(env(dataDir)))
    const alice = await registerOn(web.url, 'alice')
    const target = new URL('/api/imports/batches', web.url)
    const boundary = 'pkv-kill-mid-upload'
    const req = httpRequest(target, { method: 'POST', headers: { 'cookie': alice.cookie, 'origin': web.url, 'content-type': `multipart/form-data; boundary=${boundary}` } })
    req.on('error', () => {})
    for (const f of PHOTOS.slice(0, 2).map(fixture)) {
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: image/jpeg\r\n\r\n`)
      req.write(f.bytes)
      req.write('\r\n')
    }
    // The third photo is cut off half-way: the server is killed while it arrives.
    const third = fixture(PHOTOS[2]!)
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${third.name}"\r\nContent-Type: image/jpeg\r\n\r\n`)
    req.write(third.bytes.subarray(0, third.bytes.length >> 1))
    const images = join(dataDir, 'images')
    await waitFor(() => readdirSync(images, { withFileTypes: true }).length >= 3, 20_000, 'the photos to reach the store', 50)
    await web.stop('SIGKILL')
    req.destroy()
    expect(readdirSync(images).length).toBeGreaterThanOrEqual(3)

    const again = track(await startWeb(env(dataDir)))
    await waitFor(() => readdirSync(images).length === 0, 20_000, 'the orphaned bytes to be removed', 100)
    await waitFor(() => /removed 1 upload\(s\) cut short/.test(again.output()), 10_000, 'the clean-up to be logged')
    const list = await registerOn(again.url, 'bob')
    expect((await list.api('/api/imports/batches')).total).toBe(0)
  })

  it('restarted (SIGKILL) with photos in flight, it finishes them after the restart, each photo\'s drafts written once', async () => {
    const dataDir = embeddedDataDir()
    dirs.push(dataDir)
    const web = track(await startWeb(env(dataDir, { ANALYSIS_CONCURRENCY: '1' })))
    const carol = await registerOn(web.url, 'carol')
    const res = await uploadTo(carol, PHOTOS.map(fixture))
    expect(res.status).toBe(202)
    const { batch } = await res.json()
    await photoAnalysing(carol, batch.id)
    await web.stop('SIGKILL')

    const again = track(await startWeb(env(dataDir, { ANALYSIS_CONCURRENCY: '1' })))
    const done = await settled(clientOn(again.url, carol.cookie), batch.id)
    expect(done.status).toBe('ready')
    expectDraftsOnce(done)
  })

  it('on SIGTERM mid-photo, it exits within 10 s; the photo handed back is finished after the restart', async () => {
    const dataDir = embeddedDataDir()
    dirs.push(dataDir)
    const web = track(await startWeb(env(dataDir, { ANALYSIS_CONCURRENCY: '1' })))
    const dave = await registerOn(web.url, 'dave')
    const { batch } = await (await uploadTo(dave, PHOTOS.map(fixture))).json()
    await photoAnalysing(dave, batch.id)
    const { ms, code } = await web.stop('SIGTERM')
    console.info(`[jobs-faults] embedded web exited ${ms} ms after SIGTERM (code ${code})`)
    expect(ms).toBeLessThan(10_000)
    expect(code).toBe(0)

    const again = track(await startWeb(env(dataDir)))
    const done = await settled(clientOn(again.url, dave.cookie), batch.id)
    expect(done.status).toBe('ready')
    expectDraftsOnce(done)
  })
})

describe.runIf(REAL)('Redis + Postgres: workers on their own', () => {
  afterAll(async () => { await restoreServices() }, 90_000)
  const services = { DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL, DATA_DIR: join(tmpdir(), 'pokeventory-faults-real') }
  const webEnv = { ...services, ANALYSIS_WORKERS: '0', ANALYSIS_LEASE_SECONDS: '2', RATE_LIMIT_UPLOADS_PER_MINUTE: '1000' }
  const workerEnv = (extra: Record<string, string> = {}) => ({ ...services, ANALYSIS_CONCURRENCY: '1', ANALYSIS_LEASE_SECONDS: '2', OCR_WORKERS: '1', ...extra })

  it('a worker killed (SIGKILL) mid-photo: another worker takes the photo up again; its drafts are written once', async () => {
    const web = track(await startWeb(webEnv))
    const first = track(await startWorker(workerEnv()))
    const erin = await registerOn(web.url, 'erin')
    const { batch } = await (await uploadTo(erin, PHOTOS.slice(0, 3).map(fixture))).json()
    const killedOn = await photoAnalysing(erin, batch.id)
    await first.stop('SIGKILL')
    track(await startWorker(workerEnv()))
    const done = await settled(erin, batch.id)
    expect(done.status).toBe('ready')
    expectDraftsOnce(done)
    expect(done.images.find((i: any) => i.id === killedOn).status).toBe('analyzed')
  })

  it('a photo that kills its worker every time is failed after a bounded number of runs, with a reason', async () => {
    const web = track(await startWeb(webEnv))
    const fay = await registerOn(web.url, 'fay')
    let worker = track(await startWorker(workerEnv({ ANALYSIS_MAX_ATTEMPTS: '2' })))
    const { batch } = await (await uploadTo(fay, [fixture('two-cards-side-by-side.jpg')])).json()
    // Each time a worker starts analysing this photo (its run count moves), that worker is killed; the run
    // past the bound does not analyse (it settles the photo), so it is not killed.
    const imageId = batch.images[0].id
    const db = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await db.connect()
    let kills = 0
    try {
      const deadline = Date.now() + 90_000
      while (Date.now() < deadline) {
        const { rows: [row] } = await db.query('select status, attempts from import_images where id = $1', [imageId])
        if (row.status === 'failed' || row.status === 'analyzed') break
        if (row.status === 'analyzing' && row.attempts > kills && row.attempts <= 2 && worker.alive()) {
          await worker.stop('SIGKILL')
          kills++
          worker = track(await startWorker(workerEnv({ ANALYSIS_MAX_ATTEMPTS: '2' })))
        }
        await sleep(30)
      }
    }
    finally {
      await db.end()
    }
    const done = await settled(fay, batch.id)
    console.info(`[jobs-faults] poison photo: worker killed ${kills} times, then ${done.images[0].status}`)
    expect(kills).toBe(2)
    expect(done).toMatchObject({ status: 'failed', images: [{ status: 'failed', failureReason: expect.stringMatching(/stopped the analysis several times/) }] })
  })

  it('a worker on SIGTERM mid-photo exits within 10 s and hands the photo back; another worker finishes it', async () => {
    const web = track(await startWeb(webEnv))
    const first = track(await startWorker(workerEnv()))
    const gus = await registerOn(web.url, 'gus')
    const { batch } = await (await uploadTo(gus, PHOTOS.slice(0, 2).map(fixture))).json()
    await photoAnalysing(gus, batch.id)
    const { ms, code } = await first.stop('SIGTERM')
    console.info(`[jobs-faults] worker exited ${ms} ms after SIGTERM (code ${code})`)
    expect(ms).toBeLessThan(10_000)
    expect(code).toBe(0)
    track(await startWorker(workerEnv()))
    const done = await settled(gus, batch.id)
    expect(done.status).toBe('ready')
    expectDraftsOnce(done)
  })

  it('the web process restarted (SIGKILL) with photos in flight in its own worker: the new one finishes them', async () => {
    const inProcess = { ...webEnv, ANALYSIS_WORKERS: '1', ANALYSIS_CONCURRENCY: '1', OCR_WORKERS: '1' }
    const web = track(await startWeb(inProcess))
    const hal = await registerOn(web.url, 'hal')
    const { batch } = await (await uploadTo(hal, PHOTOS.map(fixture))).json()
    await photoAnalysing(hal, batch.id)
    await web.stop('SIGKILL')
    const again = track(await startWeb(inProcess))
    const done = await settled(clientOn(again.url, hal.cookie), batch.id)
    expect(done.status).toBe('ready')
    expectDraftsOnce(done)
  })

  it('Redis stopped and started (keeping its data) during a batch: uploads answer 503 meanwhile, the rest works, and the batch finishes', async () => {
    const web = track(await startWeb(webEnv))
    track(await startWorker(workerEnv()))
    const ivy = await registerOn(web.url, 'ivy')
    const { batch } = await (await uploadTo(ivy, PHOTOS.map(fixture))).json()
    await photoAnalysing(ivy, batch.id)
    await restartRedisKeepingData(async () => {
      const refused = await uploadTo(ivy, [fixture(PHOTOS[0]!)])
      expect(refused.status).toBe(503)
      expect((await refused.json()).message).toMatch(/unavailable/)
      expect((await batchOf(ivy, batch.id)).id).toBe(batch.id)
      expect((await ivy.api('/api/cards?q=pikachu')).items.length).toBeGreaterThan(0)
    })
    const done = await settled(ivy, batch.id)
    expect(done.images.map((i: any) => [i.status, i.failureReason])).toEqual(done.images.map(() => ['analyzed', null]))
    expect(done.status).toBe('ready')
    expectDraftsOnce(done)
    expect((await uploadTo(ivy, [fixture(PHOTOS[0]!)], '?wait=60')).status).toBe(201)
  })

  it('Redis restarted empty during a batch: photos whose bytes it lost fail with "lost", and the batch settles instead of analysing forever', async () => {
    const web = track(await startWeb(webEnv))
    const jo = await registerOn(web.url, 'jo')
    // No worker yet: every photo is still queued when Redis loses them.
    const { batch } = await (await uploadTo(jo, PHOTOS.slice(0, 2).map(fixture))).json()
    await stopRedis()
    await startRedis()
    track(await startWorker(workerEnv()))
    const done = await settled(jo, batch.id, 60_000)
    expect(done.status).toBe('failed')
    for (const image of done.images) expect(image.failureReason).toMatch(/lost before it could be analysed/)
    const photo = await jo.request(done.images[0].url)
    expect(photo.status).toBe(410)
    expect((await photo.json()).message).toMatch(/no longer stored: the photo storage was restarted/)
  })
})

describe.skipIf(EMBEDDED || REAL)('job faults', () => {
  it.skip('embedded cases run without DATABASE_URL; the Redis + Postgres ones need PV_SERVICES=real', () => {})
})

/** SHUTDOWN SAVE, then the same Redis started again on its dump: jobs and photos come back. */
async function restartRedisKeepingData(whileDown: () => Promise<void>) {
  const { hostname, port } = new URL(process.env.REDIS_URL!)
  const cli = (...args: string[]) => run('redis-cli', ['-h', hostname, '-p', port, ...args], { timeout: 10_000 })
  // `dir` and `dbfilename` cannot be changed at run time (protected settings): the dump goes where this Redis keeps it.
  const setting = async (name: string) => (await cli('config', 'get', name)).stdout.trim().split('\n')[1]!
  const [dir, dbfilename] = [await setting('dir'), await setting('dbfilename')]
  // Redis refuses SHUTDOWN SAVE when it cannot write its dump (its `dir` deleted, say): say so, not just "timed out".
  const refused = await cli('shutdown', 'save').then(r => r.stdout.trim()).catch(() => '')
  if (/ERR/.test(refused)) throw new Error(`Redis would not stop with its data (dir ${dir}): ${refused}`)
  await waitFor(async () => !(await redisAnswers()), 10_000, 'Redis to stop')
  try {
    await whileDown()
  }
  finally {
    await run('redis-server', ['--bind', hostname, '--port', port, '--save', '', '--appendonly', 'no', '--dir', dir, '--dbfilename', dbfilename, '--daemonize', 'yes'], { timeout: 10_000 })
    await waitFor(redisAnswers, 15_000, 'Redis to answer PING')
    // Loaded: later restarts (nosave) start empty again, as the other tests expect.
    rmSync(join(dir, dbfilename), { force: true })
  }
}

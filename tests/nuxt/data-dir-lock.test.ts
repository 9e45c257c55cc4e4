import { type ChildProcess, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { rootDir, SESSION_PASSWORD } from '../support/app'
import { freePort } from '../support/ports'

// Servers and scripts started by hand on one embedded data directory (no setupApp: each test owns its processes).
const embedded = !process.env.DATABASE_URL
const children: ChildProcess[] = []
const dirs: string[] = []
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** A copy of the migrated, catalogue-filled template (as setupApp makes one). */
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pokeventory-lock-'))
  dirs.push(dir)
  const template = inject('pgliteTemplate')
  if (template) cpSync(template, dir, { recursive: true })
  return dir
}


interface Proc { child: ChildProcess, output: () => string, exited: Promise<number | null> }

function run(command: string, args: string[], env: Record<string, string | undefined>): Proc {
  const { DATABASE_URL: _d, REDIS_URL: _r, ...inherited } = process.env
  const child = spawn(command, args, {
    cwd: rootDir,
    env: { ...(embedded ? inherited : process.env), NODE_ENV: 'production', NUXT_SESSION_PASSWORD: SESSION_PASSWORD, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let output = ''
  child.stdout!.on('data', (d) => { output += d })
  child.stderr!.on('data', (d) => { output += d })
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  return { child, output: () => output, exited }
}

const startServer = (dir: string, port: number) => run(process.execPath, [join(inject('outputDir'), 'server/index.mjs')], { DATA_DIR: dir, PORT: String(port) })
const runScript = (script: string, dir: string) => run(process.execPath, [join(rootDir, 'node_modules/tsx/dist/cli.mjs'), join(rootDir, 'scripts', script)], { DATA_DIR: dir, BENCH_QUERIES: '5' })

async function health(port: number): Promise<{ status: number, body: any } | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(5000) })
    return { status: res.status, body: await res.json() }
  }
  catch {
    return null
  }
}

async function until<T>(probe: () => Promise<T | null | undefined | false>, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 200))
  }
}

const healthy = (port: number) => until(async () => (await health(port))?.status === 200, 60_000, `the server on ${port}`)

/** Waits for a process to exit; answers its status and how long it took. */
async function exitOf(proc: Proc, ms = 30_000): Promise<{ code: number | null, ms: number }> {
  const started = Date.now()
  const code = await Promise.race([proc.exited, new Promise<'alive'>(r => setTimeout(() => r('alive'), ms))])
  if (code === 'alive') throw new Error(`still running after ${ms} ms:\n${proc.output()}`)
  return { code, ms: Date.now() - started }
}

async function post(port: number, path: string, body: unknown, cookie = '') {
  return fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'origin': `http://127.0.0.1:${port}`, cookie },
    body: JSON.stringify(body),
  })
}

describe.runIf(embedded)('the embedded data directory is locked (issue 18, item 1)', () => {
  const dir = embedded ? dataDir() : ''
  const lockFile = join(dir, 'pglite.lock')
  let first: Proc
  let port: number

  it('a second server on the same DATA_DIR exits at once, naming the first and pointing to Postgres; the first keeps serving', async () => {
    port = await freePort()
    first = startServer(dir, port)
    await healthy(port)
    expect(JSON.parse(readFileSync(lockFile, 'utf8')).pid).toBe(first.child.pid)

    const second = startServer(dir, await freePort())
    const { code, ms } = await exitOf(second)
    expect(code).toBe(1)
    expect(second.output()).toContain(`in use by process ${first.child.pid}`)
    expect(second.output()).toMatch(/use Postgres: set DATABASE_URL/)
    console.info(`[lock] second server exited in ${ms} ms`)
    expect((await health(port))?.status).toBe(200)
  })

  it.each(['db-migrate.ts', 'catalog-import.ts', 'bench-search.ts'])('%s exits at once with the same message while the server runs', async (script) => {
    const proc = runScript(script, dir)
    const { code } = await exitOf(proc)
    expect(code).toBe(1)
    expect(proc.output()).toContain(`in use by process ${first.child.pid}`)
    expect(proc.output()).toMatch(/DATABASE_URL/)
    expect((await health(port))?.status).toBe(200)
  })

  it('after kill -9, a new server takes the stale lock over at once and finds every acknowledged write', async () => {
    const email = `kill9-${Date.now()}@example.test`
    expect((await post(port, '/api/auth/register', { email, password: 'correct horse battery', name: 'k' })).status).toBe(202)
    const login = await post(port, '/api/auth/login', { email, password: 'correct horse battery' })
    const cookie = login.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')
    for (let i = 0; i < 20; i++) expect((await post(port, '/api/collection', { cardId: 'sv02-012' }, cookie)).status).toBe(201)

    first.child.kill('SIGKILL')
    await first.exited
    expect(existsSync(lockFile)).toBe(true) // left behind by the dead process
    const started = Date.now()
    const next = startServer(dir, port)
    await healthy(port)
    console.info(`[lock] restart after kill -9 served in ${Date.now() - started} ms`)
    expect(JSON.parse(readFileSync(lockFile, 'utf8')).pid).toBe(next.child.pid)
    const again = await post(port, '/api/auth/login', { email, password: 'correct horse battery' })
    expect(again.status).toBe(200)
    const list = await fetch(`http://127.0.0.1:${port}/api/collection`, { headers: { cookie: again.headers.getSetCookie().map(c => c.split(';')[0]).join('; ') } })
    expect((await list.json()).items[0].quantity).toBe(20)

    // Stopped cleanly, it leaves no lock; a script then runs and leaves none either.
    next.child.kill('SIGTERM')
    expect((await exitOf(next)).code).toBe(0)
    expect(existsSync(lockFile)).toBe(false)
    const migrate = runScript('db-migrate.ts', dir)
    expect((await exitOf(migrate)).code, migrate.output()).toBe(0)
    expect(migrate.output()).toMatch(/already up to date/)
    expect(existsSync(lockFile)).toBe(false)
  })

  it('a health check that cannot open the database says so (503), database routes answer 503, and the server stays up', async () => {
    const broken = dataDir()
    rmSync(join(broken, 'pglite/global/pg_control'))
    const brokenPort = await freePort()
    const server = startServer(broken, brokenPort)
    const res = await until(() => health(brokenPort), 60_000, 'the health check')
    expect(res.status).toBe(503)
    expect(res.body.database).toEqual({ driver: 'pglite', ok: false, error: 'The database could not be opened' })
    // The routes that need it answer 503 with a message, not 500.
    const cards = await fetch(`http://127.0.0.1:${brokenPort}/api/cards?q=pikachu`)
    expect(cards.status).toBe(503)
    expect((await cards.json()).message).toMatch(/database is unavailable/)
    expect(server.child.exitCode).toBeNull()
  })
})

describe('a server that cannot listen (issue 18, item 1)', () => {
  let blocker: Server | undefined
  afterAll(() => blocker?.close())

  it('exits non-zero when its port is taken, instead of staying up without serving', async () => {
    blocker = createServer()
    await new Promise<void>(resolve => blocker!.listen(0, '127.0.0.1', resolve))
    const { port } = blocker.address() as { port: number }
    const dir = dataDir()
    const server = startServer(dir, port)
    const { code, ms } = await exitOf(server)
    expect(code).toBe(1)
    expect(server.output()).toMatch(/cannot listen.*EADDRINUSE/)
    console.info(`[lock] a server on a taken port exited in ${ms} ms`)
    expect(existsSync(join(dir, 'pglite.lock'))).toBe(false)
  })
})

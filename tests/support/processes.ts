import { type ChildProcess, spawn } from 'node:child_process'
import { cpSync, mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inject } from 'vitest'
import { SESSION_PASSWORD } from './app'
import { waitFor } from './services'

/**
 * The built app's processes, started and killed by the fault tests themselves: web servers
 * (`.output/server/index.mjs`) and analysis workers (`.output/server/worker.mjs`).
 */

export interface AppProcess {
  child: ChildProcess
  pid: number
  /** Everything it printed so far. */
  output: () => string
  alive: () => boolean
  /** Sends `signal` and waits for the exit: how long it took, and the exit code. */
  stop: (signal?: NodeJS.Signals, timeoutMs?: number) => Promise<{ ms: number, code: number | null }>
}

export interface WebProcess extends AppProcess {
  url: string
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** A data directory of its own: a copy of the migrated, catalogue-filled PGlite template. */
export function embeddedDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pokeventory-faults-'))
  const template = inject('pgliteTemplate')
  if (template) cpSync(template, dir, { recursive: true })
  return dir
}

function launch(args: string[], env: Record<string, string | undefined>): AppProcess {
  const child = spawn(process.execPath, args, {
    // Only what is passed: an embedded test must not inherit DATABASE_URL / REDIS_URL.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', NUXT_SESSION_PASSWORD: SESSION_PASSWORD, ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d: Buffer) => { output += d.toString() })
  child.stderr!.on('data', (d: Buffer) => { output += d.toString() })
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  return {
    child,
    pid: child.pid!,
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop(signal = 'SIGTERM', timeoutMs = 20_000) {
      const started = Date.now()
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      const code = await Promise.race([exited, new Promise<'timeout'>(r => setTimeout(r, timeoutMs, 'timeout'))])
      if (code === 'timeout') {
        child.kill('SIGKILL')
        throw new Error(`process ${child.pid} did not exit within ${timeoutMs} ms of ${signal}\n${output.slice(-2000)}`)
      }
      return { ms: Date.now() - started, code }
    },
  }
}

/** Starts the built web server and waits until it answers. */
export async function startWeb(env: Record<string, string | undefined>): Promise<WebProcess> {
  const port = await freePort()
  const proc = launch([join(inject('outputDir'), 'server/index.mjs')], { HOST: '127.0.0.1', PORT: String(port), ...env })
  const url = `http://127.0.0.1:${port}`
  await waitFor(async () => {
    if (!proc.alive()) throw new Error(`web server exited:\n${proc.output()}`)
    const res = await fetch(`${url}/api/health`).catch(() => null)
    return !!res && res.status < 500
  }, 90_000, 'the web server to answer', 250).catch((error) => {
    proc.child.kill('SIGKILL')
    throw new Error(`${error.message}\n${proc.output().slice(-3000)}`)
  })
  return { ...proc, url }
}

/** Starts a built analysis worker (`npm run worker`) and waits until it takes jobs. */
export async function startWorker(env: Record<string, string | undefined>): Promise<AppProcess> {
  const proc = launch([join(inject('outputDir'), 'server/worker.mjs')], env)
  await waitFor(() => {
    if (!proc.alive()) throw new Error(`worker exited:\n${proc.output()}`)
    return /analysing up to/.test(proc.output())
  }, 90_000, 'the worker to start', 100)
  return proc
}

export interface WebClient {
  /** The session cookie (valid on a restarted server too: it is sealed with the same secret). */
  cookie: string
  request: (path: string, init?: RequestInit) => Promise<Response>
  api: <T = any>(path: string, init?: RequestInit) => Promise<T>
}

/** A client of the server at `base` carrying `cookie`. */
export function clientOn(base: string, cookie: string): WebClient {
  const request = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers)
    headers.set('cookie', cookie)
    headers.set('origin', base)
    return fetch(`${base}${path}`, { ...init, headers })
  }
  return {
    cookie,
    request,
    async api(path, init) {
      const r = await request(path, init)
      const text = await r.text()
      if (!r.ok) throw new Error(`${init?.method ?? 'GET'} ${path} → ${r.status}: ${text}`)
      return JSON.parse(text)
    },
  }
}

/** Registers an account on `base` and answers a client carrying its session cookie. */
export async function registerOn(base: string, tag = 'user'): Promise<WebClient> {
  const email = `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.test`
  const res = await fetch(`${base}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'origin': base },
    body: JSON.stringify({ email, password: 'correct horse battery', name: tag }),
  })
  if (res.status !== 201) throw new Error(`register: ${res.status} ${await res.text()}`)
  return clientOn(base, res.headers.getSetCookie().map(c => c.split(';')[0]).join('; '))
}

/** Uploads photos as multipart (202 expected unless `query` waits). */
export function uploadTo(client: WebClient, files: { name: string, bytes: Buffer }[], query = '') {
  const form = new FormData()
  for (const f of files) form.append('files', new Blob([new Uint8Array(f.bytes)], { type: 'image/jpeg' }), f.name)
  return client.request(`/api/imports/batches${query}`, { method: 'POST', body: form })
}

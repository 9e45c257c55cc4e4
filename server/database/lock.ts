import { randomUUID } from 'node:crypto'
import { closeSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { basename } from 'node:path'

/**
 * An exclusive lock on an embedded (PGlite) data directory: a pid file created with O_EXCL beside
 * it, held for the life of the process. PGlite takes no lock of its own, and two processes on one
 * directory lose acknowledged writes, then corrupt it.
 *
 * Why not proper-lockfile: it judges a lock stale by its age (mtime refreshed on a timer), so after
 * a `kill -9` a restart waits ~10 s, a holder whose event loop is blocked for longer than that
 * (OCR, a large multipart parse) loses its lock to a second process while still running (both
 * measured), and it does not record who holds the lock. Here a lock is stale only when its process
 * is gone: checked at once with `kill(pid, 0)`, and against pid reuse with the process start time.
 */

export interface LockHolder {
  pid: number
  host: string
  /** `/proc/<pid>/stat` start time (Linux), to tell a reused pid from the holder. */
  processStart: string | null
  command: string
  since: string
  token: string
}

export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string, readonly holder: LockHolder) {
    const who = `process ${holder.pid}${holder.host !== hostname() ? ` on ${holder.host}` : ''} (${holder.command}, since ${holder.since})`
    super(`The embedded database ${dataDir} is in use by ${who}. Stop that process first. `
      + 'To run several processes on one database (server, workers, scripts), use Postgres: set DATABASE_URL.')
    this.name = 'DataDirLockedError'
  }
}

export interface DataDirLock {
  file: string
  release: () => void
}

const lockFileOf = (dataDir: string) => `${dataDir.replace(/[/\\]+$/, '')}.lock`

function processStart(pid: number): string | null {
  try {
    // Field 22 (starttime); the command name (field 2) may hold spaces, so count after its ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  }
  catch {
    return null
  }
}

function readHolder(file: string): LockHolder | null | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  try {
    const holder = JSON.parse(text) as LockHolder
    return Number.isInteger(holder.pid) && typeof holder.token === 'string' ? holder : null
  }
  catch {
    return null
  }
}

/** Whether the holder may still be running (another host cannot be checked, so it counts as alive). */
function holderAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true
  try {
    process.kill(holder.pid, 0)
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  const start = processStart(holder.pid)
  return !(start && holder.processStart && start !== holder.processStart)
}

const held = new Map<string, LockHolder>()
const ageMs = (file: string) => {
  try {
    return Date.now() - statSync(file).mtimeMs
  }
  catch {
    return Number.POSITIVE_INFINITY
  }
}

/**
 * Removes a stale lock file. A short-lived guard file (O_EXCL) makes the check-and-remove atomic
 * between processes starting together; a guard left by a process that died inside this function
 * (microseconds) is ignored after 10 s.
 */
function removeStale(file: string, stale: LockHolder | null): void {
  const guard = `${file}.takeover`
  try {
    closeSync(openSync(guard, 'wx'))
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    if (ageMs(guard) > 10_000) unlinkSync(guard)
    return // someone else is taking it over: try again from the start
  }
  try {
    const now = readHolder(file)
    if (now !== undefined && (now?.token ?? null) === (stale?.token ?? null)) unlinkSync(file)
  }
  finally {
    unlinkSync(guard)
  }
}

/**
 * Takes the lock of `dataDir`, or throws DataDirLockedError naming the process that holds it. A lock
 * left by a process that died (crash, `kill -9`) is taken over at once.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const file = lockFileOf(dataDir)
  if (held.has(file)) throw new DataDirLockedError(dataDir, held.get(file)!)
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    processStart: processStart(process.pid),
    command: [basename(process.argv[1] ?? process.argv0), ...process.argv.slice(2)].join(' ').slice(0, 200),
    since: new Date().toISOString(),
    token: randomUUID(),
  }

  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      // Written to a private file first, then linked into place (atomic, fails if the lock exists),
      // so that nobody ever reads a half-written lock.
      const draft = `${file}.${me.token}`
      const fd = openSync(draft, 'wx', 0o644)
      try {
        writeSync(fd, JSON.stringify(me))
      }
      finally {
        closeSync(fd)
      }
      try {
        linkSync(draft, file)
      }
      finally {
        unlinkSync(draft)
      }
      return own(file, me)
    }
    catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = readHolder(file)
    if (holder === undefined) continue // released meanwhile
    // The same pid and start time is this very process: a previous instance (a dev-server reload in
    // another worker thread) that did not close; it is gone, so its lock is taken over.
    const itself = holder?.pid === process.pid && holder.host === me.host && holder.processStart === me.processStart
    if (holder && !itself && holderAlive(holder)) throw new DataDirLockedError(dataDir, holder)
    removeStale(file, holder)
  }
  throw new Error(`Could not take the lock ${file}: it keeps changing hands`)
}

function own(file: string, me: LockHolder): DataDirLock {
  held.set(file, me)
  const release = () => {
    process.off('exit', release)
    if (held.get(file)?.token !== me.token) return
    held.delete(file)
    try {
      if (readHolder(file)?.token === me.token) unlinkSync(file)
    }
    catch {}
  }
  // Released on a normal exit too; after a crash or kill -9 the next process finds it stale.
  process.on('exit', release)
  return { file, release }
}

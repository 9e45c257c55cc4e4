import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DataDirLockedError, lockDataDir } from '../../../server/database/lock'

const dirs: string[] = []
function dataDir() {
  const dir = join(mkdtempSync(join(tmpdir(), 'pv-lock-')), 'pglite')
  dirs.push(dir)
  return dir
}

const children: ReturnType<typeof spawn>[] = []
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
})

/** A live process that is not this one (its pid goes into a hand-written lock). */
function otherProcess() {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
  children.push(child)
  return child
}

function writeLock(dir: string, holder: Record<string, unknown>) {
  writeFileSync(`${dir}.lock`, JSON.stringify({ host: hostname(), processStart: null, command: 'test', since: '2026-01-01T00:00:00.000Z', token: 't', ...holder }))
}

describe('lockDataDir', () => {
  it('creates the lock file naming this process and removes it on release', () => {
    const dir = dataDir()
    const lock = lockDataDir(dir)
    const holder = JSON.parse(readFileSync(lock.file, 'utf8'))
    expect(holder).toMatchObject({ pid: process.pid, host: hostname() })
    lock.release()
    expect(existsSync(lock.file)).toBe(false)
    lockDataDir(dir).release() // free again
  })

  it('refuses a second lock in the same process while the first is held', () => {
    const dir = dataDir()
    const lock = lockDataDir(dir)
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError)
    lock.release()
  })

  it('refuses a lock held by a live process, naming its pid and pointing to Postgres', () => {
    const dir = dataDir()
    const child = otherProcess()
    writeLock(dir, { pid: child.pid })
    let error: unknown
    try {
      lockDataDir(dir)
    }
    catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(DataDirLockedError)
    expect((error as Error).message).toContain(`process ${child.pid}`)
    expect((error as Error).message).toMatch(/DATABASE_URL/)
  })

  it('takes over at once the lock of a process that died (kill -9)', async () => {
    const dir = dataDir()
    const child = otherProcess()
    writeLock(dir, { pid: child.pid })
    child.kill('SIGKILL')
    await new Promise(resolve => child.once('exit', resolve))
    const started = Date.now()
    const lock = lockDataDir(dir)
    expect(Date.now() - started).toBeLessThan(100)
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid)
    lock.release()
  })

  it('takes over a lock whose pid now belongs to another process (pid reuse), and a garbled one', () => {
    const dir = dataDir()
    const child = otherProcess()
    writeLock(dir, { pid: child.pid, processStart: '1' })
    lockDataDir(dir).release()
    writeFileSync(`${dir}.lock`, 'not json')
    lockDataDir(dir).release()
  })

  it('counts a lock from another host as held (it cannot be checked from here)', () => {
    const dir = dataDir()
    writeLock(dir, { pid: 999_999_999, host: 'elsewhere.example' })
    expect(() => lockDataDir(dir)).toThrow(/on elsewhere\.example/)
  })
})

import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface DiskCacheOptions {
  dir: string
  /** The cache is trimmed back under this size (bytes), least recently used files first. */
  maxBytes: number
  now?: () => number
}

export interface DiskCache {
  get: (key: string) => Promise<Buffer | null>
  put: (key: string, bytes: Buffer) => Promise<void>
  /** Bytes on disk as this process last counted them. */
  size: () => Promise<number>
  /** Deletes least recently used files until the cache holds at most `target` bytes (default 80 % of the bound). */
  trim: (target?: number) => Promise<void>
}

// A hit renews a file's modification time, which the trim orders by; at most once an hour per file.
const TOUCH_EVERY_MS = 60 * 60_000

/**
 * A bounded directory of files keyed by any string, shared safely by several processes: a file is
 * written under a temporary name and renamed into place (readers never see half a file), a hit renews
 * its mtime (the LRU clock every process sees), and trimming deletes the oldest files, ignoring the
 * ones another process deleted first.
 */
export function createDiskCache(options: DiskCacheOptions): DiskCache {
  const now = options.now ?? Date.now
  let counted: Promise<number> | undefined
  let bytes = 0
  let trimming: Promise<void> | undefined

  const pathOf = (key: string) => {
    const hash = createHash('sha256').update(key).digest('hex').slice(0, 40)
    return { dir: join(options.dir, hash.slice(0, 2)), file: join(options.dir, hash.slice(0, 2), `${hash}.bin`) }
  }

  async function listFiles(): Promise<{ path: string, size: number, mtime: number }[]> {
    const out: { path: string, size: number, mtime: number }[] = []
    let dirs: string[] = []
    try {
      dirs = await readdir(options.dir)
    }
    catch {
      return out
    }
    for (const d of dirs) {
      let names: string[] = []
      try {
        names = await readdir(join(options.dir, d))
      }
      catch {
        continue
      }
      for (const name of names) {
        const path = join(options.dir, d, name)
        try {
          const s = await stat(path)
          if (s.isFile()) out.push({ path, size: s.size, mtime: s.mtimeMs })
        }
        catch {}
      }
    }
    return out
  }

  function size() {
    counted ??= listFiles().then((files) => {
      bytes = files.reduce((n, f) => n + f.size, 0)
      return bytes
    })
    return counted.then(() => bytes)
  }

  async function trim(target = Math.floor(options.maxBytes * 0.8)) {
    const files = await listFiles()
    files.sort((a, b) => a.mtime - b.mtime)
    let total = files.reduce((n, f) => n + f.size, 0)
    for (const f of files) {
      if (total <= target) break
      try {
        await unlink(f.path)
      }
      catch {}
      total -= f.size
    }
    bytes = total
  }

  return {
    async get(key) {
      const { file } = pathOf(key)
      try {
        const data = await readFile(file)
        const s = await stat(file).catch(() => null)
        if (s && now() - s.mtimeMs > TOUCH_EVERY_MS) {
          const t = new Date(now())
          await utimes(file, t, t).catch(() => {})
        }
        return data
      }
      catch {
        return null
      }
    },
    async put(key, data) {
      await size()
      const { dir, file } = pathOf(key)
      await mkdir(dir, { recursive: true })
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
      await writeFile(tmp, data)
      await rename(tmp, file)
      bytes += data.length
      if (bytes > options.maxBytes && !trimming) {
        trimming = trim().finally(() => {
          trimming = undefined
        })
        await trimming
      }
    },
    size,
    trim,
  }
}

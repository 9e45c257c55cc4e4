import { createWriteStream, type WriteStream } from 'node:fs'
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { decode, encodeHeader, guarded, type ImageStore } from './image-store'

// Each photo is one file: 8 bytes of expiry (ms since the epoch, big-endian), then the type header and the bytes.
const EXPIRY_BYTES = 8
const SWEEP_MS = 60_000
// A `.part` file this old belongs to an upload that died with its process.
const STALE_PART_MS = 60 * 60_000

const expiryOf = (at: number) => {
  const buf = Buffer.alloc(EXPIRY_BYTES)
  buf.writeBigUInt64BE(BigInt(Math.max(0, Math.round(at))))
  return buf
}

const safeId = (id: string) => {
  if (!/^[\w-]{1,100}$/.test(id)) throw new Error(`Invalid image id: ${id}`)
  return id
}

/**
 * Photo bytes in a directory, with the same expiry rules as Redis (each read restarts the clock):
 * the embedded mode's store, so that photos queued for analysis survive a restart of the process.
 */
export function createFileImageStore(dir: string, clock: () => number = Date.now): ImageStore {
  const path = (id: string) => join(dir, safeId(id))
  const made = mkdir(dir, { recursive: true })
  const run = <T>(fn: () => Promise<T>) => guarded(() => true, async () => {
    await made
    return fn()
  })
  const forget = (file: string) => unlink(file).catch(() => {})

  async function sweep() {
    const now = clock()
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const file = join(dir, name)
      if (name.endsWith('.part')) {
        const info = await stat(file).catch(() => null)
        if (info && now - info.mtimeMs > STALE_PART_MS) await forget(file)
        continue
      }
      const handle = await open(file, 'r').catch(() => null)
      if (!handle) continue
      try {
        const head = Buffer.alloc(EXPIRY_BYTES)
        await handle.read(head, 0, EXPIRY_BYTES, 0)
        if (Number(head.readBigUInt64BE()) <= now) await forget(file)
      }
      finally {
        await handle.close()
      }
    }
  }
  const sweeper = setInterval(() => { sweep().catch(() => {}) }, SWEEP_MS)
  sweeper.unref()

  return {
    driver: 'file',
    put: (id, image, ttl) => run(async () => {
      const part = `${path(id)}.part`
      const handle = await open(part, 'w')
      try {
        await handle.writev([expiryOf(clock() + ttl * 1000), encodeHeader(image.contentType), image.bytes])
      }
      finally {
        await handle.close()
      }
      await rename(part, path(id))
    }),
    writer(id, contentType, ttl) {
      const part = `${path(id)}.part`
      let stream: WriteStream | undefined
      let total = 0
      const opened = async () => {
        if (!stream) {
          await made
          stream = createWriteStream(part)
          stream.write(Buffer.concat([expiryOf(clock() + ttl * 1000), encodeHeader(contentType)]))
        }
        return stream
      }
      const written = (s: WriteStream, chunk: Buffer) => new Promise<void>((resolve, reject) => {
        s.write(chunk, error => (error ? reject(error) : resolve()))
      })
      return {
        write: chunk => run(async () => {
          total += chunk.length
          await written(await opened(), chunk)
        }),
        end: () => run(async () => {
          const s = await opened()
          await new Promise<void>((resolve, reject) => s.end((error?: Error | null) => (error ? reject(error) : resolve())))
          await rename(part, path(id))
          return total
        }),
        async abort() {
          stream?.destroy()
          await forget(part)
        },
      }
    },
    get: (id, ttl) => run(async () => {
      const handle = await open(path(id), 'r+').catch(() => null)
      if (!handle) return null
      try {
        const { size } = await handle.stat()
        const raw = Buffer.alloc(size)
        await handle.read(raw, 0, size, 0)
        if (size < EXPIRY_BYTES + 1 || Number(raw.readBigUInt64BE()) <= clock()) {
          await forget(path(id))
          return null
        }
        await handle.write(expiryOf(clock() + ttl * 1000), 0, EXPIRY_BYTES, 0)
        return decode(raw.subarray(EXPIRY_BYTES))
      }
      finally {
        await handle.close()
      }
    }),
    remove: id => run(async () => {
      await forget(path(id))
      await forget(`${path(id)}.part`)
    }),
    async ping() { return true },
    async close() { clearInterval(sweeper) },
  }
}

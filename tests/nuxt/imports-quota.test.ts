import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { type Client, rootDir, setupApp, signUp } from '../support/app'

// A small photo store: 600 kB per user, 900 kB for everyone (issue 18, item 5: one user must not
// be able to push everyone's photos out). On a shared Postgres the other test files' photos are in the
// store too: its bound starts above what they already take.
async function keptBytes(): Promise<number> {
  if (!process.env.DATABASE_URL) return 0 // a fresh embedded database
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await db.connect()
  try {
    const { rows } = await db.query('select coalesce(sum(byte_size), 0)::bigint as n from import_images where kept and expires_at > now()')
    return Number(rows[0].n)
  }
  finally {
    await db.end()
  }
}
const STORE_MAX = (await keptBytes()) + 900_000
setupApp({ IMAGE_STORE_USER_MAX_BYTES: '600000', IMAGE_STORE_MAX_BYTES: String(STORE_MAX), RATE_LIMIT_UPLOADS_PER_MINUTE: '1000' })

const photo = readFileSync(join(rootDir, 'tests/fixtures/syn1-001.jpg')) // 144 kB
// 190 kB of junk behind a JPEG header: sniffed as an image, then undecodable.
const junk = Buffer.concat([photo.subarray(0, 4), Buffer.alloc(190_000, 0x5A)])

function upload(client: Client, files: { name: string, bytes: Buffer }[], query = '?wait=60') {
  const form = new FormData()
  for (const f of files) form.append('files', new Blob([new Uint8Array(f.bytes)], { type: 'image/jpeg' }), f.name)
  return client.request(`/api/imports/batches${query}`, { method: 'POST', body: form })
}

describe('the photo store: quotas instead of evicting others\' photos', () => {
  it('keeps no bytes that fail to decode, refuses (507) a user past their share or a full store, and never drops another user\'s photo early', async () => {
    const alice = await signUp('alice')
    const mallory = await signUp('mallory')
    const first = await upload(alice, [{ name: 'mine.jpg', bytes: photo }])
    expect(first.status).toBe(201)
    const mine = (await first.json()).batch.images[0]

    // Junk photos fail, and their bytes are released: they do not count against anyone.
    for (let i = 0; i < 4; i++) {
      const res = await upload(mallory, [{ name: `junk${i}a.jpg`, bytes: junk }, { name: `junk${i}b.jpg`, bytes: junk }])
      expect(res.status).toBe(201)
      const { batch } = await res.json()
      expect(batch.images.map((i: any) => i.status)).toEqual(['failed', 'failed'])
      expect((await mallory.request(batch.images[0].url)).status).toBe(410)
    }

    // Decodable photos count: 4 × 144 kB passes Mallory's 600 kB; the upload is refused whole.
    const tooMuch = await upload(mallory, Array.from({ length: 5 }, (_, i) => ({ name: `p${i}.jpg`, bytes: photo })), '')
    expect(tooMuch.status).toBe(507)
    expect((await tooMuch.json()).message).toMatch(/Your photo storage is full/)
    expect((await mallory.api('/api/imports/batches')).total).toBe(4)

    // Up to the share, then the store itself is full: refused, not evicting.
    expect((await upload(mallory, Array.from({ length: 3 }, (_, i) => ({ name: `p${i}.jpg`, bytes: photo })), '')).status).toBe(202)
    // Others upload (each within their share) until the store is full: then refused, not evicting.
    let refused: Response | undefined
    for (let i = 0; i < 10 && !refused; i++) {
      const res = await upload(await signUp(`filler${i}`), Array.from({ length: 4 }, (_, k) => ({ name: `f${k}.jpg`, bytes: photo })), '')
      if (res.status === 507) refused = res
      else expect(res.status).toBe(202)
    }
    expect(refused).toBeDefined()
    expect((await refused!.json()).message).toMatch(/Photo storage is full right now/)

    // Alice's photo, uploaded first, is still there.
    const still = await alice.request(mine.url)
    expect(still.status).toBe(200)
    expect(Buffer.from(await still.arrayBuffer()).equals(photo)).toBe(true)
  })
})

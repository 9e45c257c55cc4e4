import { request as httpRequest } from 'node:http'
import { describe, expect, it } from 'vitest'
import { anonymous, setupApp, signUp, url } from '../support/app'
import { peakGrowthDuring, serverPid } from '../support/services'

setupApp()

const MB = 1024 * 1024

/**
 * Sends a body of `total` bytes in 64 kB chunks (chunked, or with a declared length) and stops as soon
 * as the server answers; the test never holds the body in memory.
 */
function streamBody(path: string, { total, headers = {}, chunked = true }: { total: number, headers?: Record<string, string>, chunked?: boolean }) {
  const target = new URL(url(path))
  const chunk = Buffer.alloc(64 * 1024, 0x20) // spaces: valid JSON whitespace, and CSV-ish
  return new Promise<{ status: number, sent: number, ms: number, body: string }>((resolve, reject) => {
    const started = Date.now()
    let sent = 0
    let answered = false
    const req = httpRequest(target, {
      method: 'POST',
      headers: { origin: target.origin, ...headers, ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(total) }) },
    }, (res) => {
      answered = true
      let body = ''
      res.on('data', (d) => { body += d })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, sent, ms: Date.now() - started, body }))
      res.on('error', () => resolve({ status: res.statusCode ?? 0, sent, ms: Date.now() - started, body }))
    })
    req.on('error', (error) => { if (!answered) reject(error) })
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      if (!answered) req.end()
    }
    pump()
  })
}

describe('body size limits (issue 18, item 3)', () => {
  it('refuses a JSON body over 1 MB before sign-in: at once when declared, while it arrives when chunked', async () => {
    const declared = await streamBody('/api/auth/login', { total: 400 * MB, chunked: false, headers: { 'content-type': 'application/json' } })
    expect(declared.status).toBe(413)
    expect(declared.sent).toBeLessThan(40 * MB)
    expect(JSON.parse(declared.body)).toMatchObject({ statusCode: 413, statusMessage: expect.stringMatching(/Too Large/), message: expect.stringMatching(/larger than 1 MB/) })

    const chunked = await streamBody('/api/auth/login', { total: 100 * MB, headers: { 'content-type': 'application/json' } })
    expect(chunked.status).toBe(413)
    expect(chunked.sent).toBeLessThan(40 * MB)

    // Within the limit, a body is read as before.
    const small = await anonymous.request('/api/auth/login', { method: 'POST', json: { email: 'nobody@example.test', password: `x${' '.repeat(512 * 1024)}` } })
    expect(small.status).toBe(400) // the password is over 1024 characters
  })

  it('refuses an oversized body on every JSON route, signed in or not', async () => {
    const user = await signUp('big')
    const row = (await user.api('/api/collection', { method: 'POST', json: { cardId: 'sv02-012' } })).item
    for (const path of ['/api/auth/register', '/api/collection', `/api/collection/${row.id}`, '/api/tokens', '/api/auth/logout']) {
      const res = await streamBody(path, { total: 3 * MB, headers: { 'content-type': 'application/json', 'cookie': user.headers.cookie! } })
      expect(res.status, path).toBe(413)
    }
  })

  it('refuses a chunked CSV import past its own 5 MB limit while it arrives, and takes one within it', async () => {
    const user = await signUp('csvbig')
    const res = await streamBody('/api/collection/import', { total: 300 * MB, headers: { 'content-type': 'text/csv', 'cookie': user.headers.cookie! } })
    expect(res.status).toBe(413)
    expect(JSON.parse(res.body).message).toMatch(/larger than 5 MB/)
    expect(res.sent).toBeLessThan(60 * MB)
    // 2 MB: over the JSON limit, under the CSV one (read and parsed: its notes are too long).
    const csv = `card_id,quantity,notes\nsv02-012,1,${'n'.repeat(2 * MB)}\n`
    const read = await user.request('/api/collection/import', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } })
    expect(read.status).toBe(422)
  })

  it('keeps its memory and keeps answering under ten parallel 100 MB bodies (chunked and declared)', async () => {
    const pid = serverPid()
    let healthMs = 0
    const { result, growthBytes } = await peakGrowthDuring(pid, async () => {
      const bodies = Array.from({ length: 10 }, (_, i) => streamBody('/api/auth/login', { total: 100 * MB, chunked: i % 2 === 0, headers: { 'content-type': 'application/json' } }))
      const started = Date.now()
      const health = await anonymous.request('/api/health')
      healthMs = Date.now() - started
      expect(health.status).toBe(200)
      return Promise.all(bodies)
    })
    expect(result.map(r => r.status)).toEqual(Array(10).fill(413))
    console.info(`[limits] 10 × 100 MB bodies: server RSS +${(growthBytes / MB).toFixed(1)} MB, health answered in ${healthMs} ms, slowest 413 after ${Math.max(...result.map(r => r.ms))} ms`)
    expect(growthBytes).toBeLessThan(100 * MB)
    expect(healthMs).toBeLessThan(3000)
  })
})

import type { IncomingMessage } from 'node:http'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { BodyTooLargeError, readCappedBody } from '../../../server/security/body-limit'

function request(headers: Record<string, string> = {}) {
  const stream = new PassThrough() as PassThrough & { headers: Record<string, string> }
  stream.headers = headers
  return stream
}

describe('readCappedBody', () => {
  it('reads a body within the limit', async () => {
    const req = request({ 'transfer-encoding': 'chunked' })
    const body = readCappedBody(req as unknown as IncomingMessage, 10)
    req.end(Buffer.from('{"a":1}'))
    expect((await body).toString()).toBe('{"a":1}')
  })

  it('refuses a declared length over the limit before reading anything', async () => {
    const req = request({ 'content-length': '400000000' })
    await expect(readCappedBody(req as unknown as IncomingMessage, 1024)).rejects.toBeInstanceOf(BodyTooLargeError)
    expect(req.listenerCount('data')).toBe(0)
  })

  it('gives up on a chunked body as soon as it passes the limit, keeping none of it', async () => {
    const req = request({ 'transfer-encoding': 'chunked' })
    const body = readCappedBody(req as unknown as IncomingMessage, 100 * 1024)
    let written = 0
    const chunk = Buffer.alloc(16 * 1024)
    while (written <= 100 * 1024) {
      req.write(chunk)
      written += chunk.length
    }
    await expect(body).rejects.toThrow(/larger than 100 kB/)
    expect(written).toBeLessThan(150 * 1024)
    expect(req.listenerCount('data')).toBe(0)
  })

  it('fails when the client goes away mid-body', async () => {
    const req = request({ 'content-length': '100' })
    const body = readCappedBody(req as unknown as IncomingMessage, 1024)
    req.write('{"a":')
    req.destroy()
    await expect(body).rejects.toThrow(/interrupted/)
  })
})

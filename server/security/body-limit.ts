import type { IncomingMessage } from 'node:http'

export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The request body is larger than ${formatBytes(limitBytes)}`)
    this.name = 'BodyTooLargeError'
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / 1024 / 102.4) / 10} MB`
  return `${Math.round(bytes / 1024)} kB`
}

/**
 * Reads a request body into memory, giving up with BodyTooLargeError as soon as it passes `maxBytes`
 * (a declared length is checked before reading; a chunked body declares none). What is still in
 * flight after a refusal is not kept.
 */
export function readCappedBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  if (declared > maxBytes) return Promise.reject(new BodyTooLargeError(maxBytes))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let total = 0
    const finish = (error?: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose)
      if (error) {
        chunks.length = 0
        reject(error)
      }
      else {
        resolve(Buffer.concat(chunks, total))
      }
    }
    const onData = (chunk: Buffer) => {
      total += chunk.length
      if (total > maxBytes) finish(new BodyTooLargeError(maxBytes))
      else chunks.push(chunk)
    }
    const onEnd = () => finish()
    const onError = (error: Error) => finish(error)
    const onClose = () => finish(new Error('The request was interrupted'))
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose)
  })
}

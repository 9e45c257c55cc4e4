import type { IncomingMessage } from 'node:http'
import { getRequestHeader, type H3Event } from 'h3'
import { ImportError } from './errors'
import { checkContentLength, maxUploadBodyBytes, tooLargeBody, type UploadLimits, type UploadPart } from './upload'

/** Reads a request body, giving up with 413 as soon as it passes `maxBytes` (chunked bodies declare no length). */
function readCappedBody(req: IncomingMessage, maxBytes: number, limits: UploadLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let total = 0
    const onData = (chunk: Buffer) => {
      total += chunk.length
      if (total > maxBytes) {
        cleanup()
        chunks.length = 0
        // Stop keeping the rest; Node drains what is still in flight once the 413 is answered.
        reject(tooLargeBody(limits))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      cleanup()
      resolve(Buffer.concat(chunks))
    }
    const onError = (error: Error) => {
      cleanup()
      reject(new ImportError(400, `The upload was interrupted: ${error.message}`))
    }
    const cleanup = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError)
    }
    req.on('data', onData).on('end', onEnd).on('error', onError)
  })
}

/**
 * The parts of a `multipart/form-data` upload, refusing an oversized body before or while reading
 * it (413). Undefined when the request is not multipart: the upload then has no files (400).
 */
export async function readUploadParts(event: H3Event, limits: UploadLimits): Promise<UploadPart[] | undefined> {
  checkContentLength(getRequestHeader(event, 'content-length'), limits)
  const contentType = getRequestHeader(event, 'content-type') ?? ''
  if (!/^multipart\/form-data\s*;/i.test(contentType)) return undefined

  const body = await readCappedBody(event.node.req, maxUploadBodyBytes(limits), limits)
  let form: FormData
  try {
    // The platform's multipart parser (undici), over bytes already bounded above.
    form = await new Response(body as Uint8Array<ArrayBuffer>, { headers: { 'content-type': contentType } }).formData()
  }
  catch {
    throw new ImportError(400, 'The upload could not be read as multipart/form-data')
  }
  const parts: UploadPart[] = []
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') parts.push({ name, data: Buffer.from(value) })
    else parts.push({ name, filename: value.name, type: value.type, data: Buffer.from(await value.arrayBuffer()) })
  }
  return parts
}

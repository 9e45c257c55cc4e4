import type { IncomingMessage } from 'node:http'
import { getRequestHeader, type H3Event } from 'h3'
import { ImportError } from './errors'
import { checkContentLength, cleanFilename, maxUploadBodyBytes, tooLargeBody, type UploadLimits, type UploadPart } from './upload'

/**
 * Watches a multipart stream for one part outgrowing the per-photo limit (the bytes since the last
 * boundary), so that a huge file is refused while it arrives, not after the whole body was read and
 * parsed (undici's parser is synchronous: tens of MB block the event loop for seconds).
 */
function partSizeWatcher(boundary: string, limits: UploadLimits) {
  const delimiter = Buffer.from(`\r\n--${boundary}`)
  const maxPartBytes = limits.maxFileBytes + 8192 // the part's headers, generously
  let tail = Buffer.from('\r\n') // so the first boundary, at the very start, matches too
  let sincePart = 0
  let filename: string | null = null
  return (chunk: Buffer): ImportError | null => {
    const data = tail.length ? Buffer.concat([tail, chunk]) : chunk
    let last = -1
    for (let at = data.indexOf(delimiter); at !== -1; at = data.indexOf(delimiter, at + delimiter.length)) last = at
    if (last === -1) {
      sincePart += chunk.length
    }
    else {
      sincePart = data.length - last - delimiter.length
      const headers = data.subarray(last, last + 2048).toString('latin1')
      filename = cleanFilename(headers.match(/filename="([^"]*)"/i)?.[1])
    }
    tail = Buffer.from(data.subarray(Math.max(0, data.length - delimiter.length + 1)))
    if (sincePart <= maxPartBytes) return null
    const mb = Math.round(limits.maxFileBytes / 1024 / 102.4) / 10
    return new ImportError(413, `${filename ?? 'A photo'} is too large: at most ${mb} MB per photo`)
  }
}

/** Reads a request body, giving up with 413 as soon as it passes `maxBytes` (chunked bodies declare no length). */
function readCappedBody(req: IncomingMessage, maxBytes: number, limits: UploadLimits, watch?: (chunk: Buffer) => ImportError | null): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let total = 0
    const onData = (chunk: Buffer) => {
      total += chunk.length
      const refusal = total > maxBytes ? tooLargeBody(limits) : watch?.(chunk)
      if (refusal) {
        cleanup()
        chunks.length = 0
        // Stop keeping the rest; Node drains what is still in flight once the 413 is answered.
        reject(refusal)
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

  const boundary = contentType.match(/boundary=(?:"([^"]+)"|([^\s;]+))/i)
  const watch = boundary ? partSizeWatcher(boundary[1] ?? boundary[2]!, limits) : undefined
  const body = await readCappedBody(event.node.req, maxUploadBodyBytes(limits), limits, watch)
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

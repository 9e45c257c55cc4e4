import type { BatchDto } from '~~/shared/schemas/imports'

export interface UploadFile { name: string, blob: Blob }

/** Recognises an image by its first bytes, as the server does (a text file named `.jpg` is not one). */
export async function sniffImageType(file: Blob): Promise<string | null> {
  const b = new Uint8Array(await file.slice(0, 16).arrayBuffer())
  if (b.length < 12) return null
  const ascii = (from: number, to: number) => String.fromCharCode(...b.slice(from, to))
  if (b[0] === 0xFF && b[1] === 0xD8 && b[2] === 0xFF) return 'image/jpeg'
  if (b[0] === 0x89 && ascii(1, 4) === 'PNG') return 'image/png'
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp'
  if (ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12)
    if (brand === 'avif' || brand === 'avis') return 'image/avif'
    if (['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'image/heic'
  }
  return null
}

/**
 * Sends the photos of one batch as ONE multipart request (`POST /api/imports/batches`, field `files`)
 * with XHR, because fetch cannot report upload progress. `onProgress` gets each file's share (0–1),
 * derived from its byte range in the body; `onUploaded` fires when the bytes are sent. The answer
 * (`202`) comes as soon as the server has stored and queued them.
 */
export function uploadBatch(
  files: UploadFile[],
  handlers: { onProgress?: (perFile: number[], overall: number) => void, onUploaded?: () => void },
  signal?: AbortSignal,
  /** Extra query, such as the binder page the photos are (`binderId`, `binderPage`). */
  query: Record<string, string> = {},
): Promise<BatchDto> {
  return new Promise((resolve, reject) => {
    const body = new FormData()
    for (const f of files) body.append('files', f.blob, f.name)
    const sizes = files.map(f => f.blob.size)
    const xhr = new XMLHttpRequest()
    const search = new URLSearchParams(query).toString()
    xhr.open('POST', `/api/imports/batches${search ? `?${search}` : ''}`)
    xhr.setRequestHeader('accept', 'application/json')
    xhr.responseType = 'json'

    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return
      // Multipart overhead is spread over the files; close enough for a progress bar.
      const scale = e.total / Math.max(1, sizes.reduce((a, b) => a + b, 0))
      let offset = 0
      const perFile = sizes.map((size) => {
        const start = offset * scale
        offset += size
        return Math.min(1, Math.max(0, (e.loaded - start) / Math.max(1, size * scale)))
      })
      handlers.onProgress?.(perFile, e.loaded / e.total)
    }
    xhr.upload.onload = () => {
      handlers.onProgress?.(sizes.map(() => 1), 1)
      handlers.onUploaded?.()
    }
    xhr.onload = () => {
      const data = xhr.response ?? {}
      // 202: the photos are stored and queued; the review page follows their analysis.
      if (xhr.status === 202 || xhr.status === 201 || xhr.status === 200) resolve(data.batch as BatchDto)
      else reject({ statusCode: xhr.status, data })
    }
    xhr.onerror = () => reject({ statusCode: 0, data: {} })
    xhr.onabort = () => reject({ aborted: true })
    signal?.addEventListener('abort', () => xhr.abort())
    xhr.send(body)
  })
}

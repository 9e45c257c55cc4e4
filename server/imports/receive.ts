import { randomUUID } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import busboy from 'busboy'
import { type Kysely, sql } from 'kysely'
import type { Database } from '../database/schema'
import type { AnalysisQueue } from '../jobs/queue'
import type { ImageStore, ImageWriter } from '../storage/image-store'
import { ImportError, STORE_UNAVAILABLE_MESSAGE } from './errors'
import { checkRoom, type StoreLimits, storeUsage } from './quota'
import { cleanFilename } from './reasons'
import {
  checkContentLength, maxUploadBodyBytes, noPhotos, notAnImage, photoTooLarge, type SniffImage, tooLargeBody, tooManyPhotos,
  UPLOAD_FIELD, type UploadLimits,
} from './upload'

export interface ReceiveDeps {
  db: Kysely<Database>
  store: Pick<ImageStore, 'writer' | 'remove'>
  queue: Pick<AnalysisQueue, 'enqueue' | 'driver'>
  ttlSeconds: number
  limits: UploadLimits
  room: StoreLimits
  sniff: SniffImage
  log?: (message: string, error?: unknown) => void
}

export interface UploadRequest extends Readable {
  headers: IncomingHttpHeaders
}

// Bytes enough to tell an image by its magic numbers (recognition's sniffer reads 12).
const SNIFF_BYTES = 16

const isMultipart = (type: string | undefined) => /^multipart\/form-data\s*;/i.test(type ?? '')

const storeDown = (error: unknown) =>
  error instanceof Error && error.name === 'ImageStoreUnavailableError' ? new ImportError(503, STORE_UNAVAILABLE_MESSAGE) : error

/**
 * Receives an upload as it streams in and queues one analysis job per photo; answers the batch id.
 *
 * The batch row is written first, and each photo's row before its bytes, so that an upload cut
 * short by a dying process leaves rows that name every byte it stored (the reconciler removes
 * them). Parts go to the image store as they arrive; every limit is checked while they do: the
 * body's size, the number of photos (413), each photo's size (413), its type by its first bytes
 * (415), and the room left for the user and for everyone (507). A refused upload keeps nothing.
 */
export async function receiveUpload(deps: ReceiveDeps, userId: string, req: UploadRequest): Promise<string> {
  const { limits } = deps
  checkContentLength(req.headers['content-length'], limits)
  if (!isMultipart(req.headers['content-type'])) throw noPhotos()
  const usage = await storeUsage(deps.db, userId)
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared)) checkRoom(usage, declared - 64 * 1024, deps.room)

  const batchId = randomUUID()
  await deps.db.insertInto('import_batches').values({ id: batchId, user_id: userId, status: 'receiving' }).execute()
  const stored: string[] = []
  let writer: ImageWriter | undefined
  try {
    const photos = await readParts(deps, userId, batchId, req, usage, stored, (w) => { writer = w })
    if (photos.length === 0) throw noPhotos()
    // Photos and batch become visible together, in one statement (one round trip under load).
    const sizes = sql.join(photos.map(p => sql`(${p.id}::uuid, ${p.bytes}::int)`))
    const queue = (db: Kysely<Database>) => sql`
      with queued as (
        update import_images i set status = 'queued', byte_size = v.bytes, updated_at = now()
        from (values ${sizes}) as v(id, bytes) where i.id = v.id and i.batch_id = ${batchId}
        returning i.id
      )
      update import_batches set status = 'analyzing', updated_at = now() where id = ${batchId}`.execute(db)
    if (deps.queue.driver === 'database') {
      await deps.db.transaction().execute(async (trx) => {
        await queue(trx)
        await deps.queue.enqueue(photos.map(p => ({ imageId: p.id })), trx)
      })
    }
    else {
      await queue(deps.db)
    }
  }
  catch (error) {
    await writer?.abort().catch(() => {})
    await Promise.all(stored.map(id => deps.store.remove(id).catch(() => {})))
    // If this fails too (database gone), the reconciler drops the batch once it is stale.
    await deps.db.deleteFrom('import_batches').where('id', '=', batchId).execute().catch(() => {})
    throw storeDown(error)
  }
  if (deps.queue.driver !== 'database') {
    // Queued after the commit; should Redis fail right now, the reconciler queues them again.
    await deps.queue.enqueue(stored.map(imageId => ({ imageId }))).catch(error => deps.log?.('[imports] could not queue photos yet', error))
  }
  return batchId
}

// An upload still arriving shows it is alive this often (a silent one belongs to a dead process).
const TOUCH_MS = 60_000

/** Streams the parts into the store; answers the photos kept, in order, with their sizes. */
function readParts(
  deps: ReceiveDeps,
  userId: string,
  batchId: string,
  req: UploadRequest,
  usage: { userBytes: number, storeBytes: number },
  stored: string[],
  current: (writer: ImageWriter | undefined) => void,
): Promise<{ id: string, bytes: number }[]> {
  const { limits } = deps
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { fieldSize: 64 * 1024, fields: 100, parts: limits.maxFiles + 200, headerPairs: 100 },
      })
    }
    catch {
      return reject(new ImportError(400, 'The upload could not be read as multipart/form-data'))
    }
    let failed = false
    let malformed = false
    let sent = 0
    let received = 0
    let bodyBytes = 0
    let chain: Promise<unknown> = Promise.resolve()
    let touched = Date.now()
    const kept: { id: string, bytes: number }[] = []
    const maxBody = maxUploadBodyBytes(limits)

    let part: Readable | undefined
    const fail = (error: unknown) => {
      if (failed) return
      failed = true
      req.off('data', countBody)
      req.unpipe(parser)
      // Stop keeping the rest; Node discards what is still in flight once the answer is sent.
      req.resume()
      part?.destroy()
      // Answer once the part being received has stopped, so that the clean-up sees every byte it stored.
      chain.finally(() => reject(error))
    }
    const countBody = (chunk: Buffer) => {
      bodyBytes += chunk.length
      if (bodyBytes > maxBody) fail(tooLargeBody(limits))
    }

    async function receivePart(stream: Readable, label: string, filename: string | null) {
      const position = stored.length
      const imageId = randomUUID()
      let head = Buffer.alloc(0)
      let writer: ImageWriter | undefined
      let size = 0
      const open = async () => {
        const contentType = head.length ? deps.sniff(head) : null
        if (!contentType) throw notAnImage(label)
        // The row first: from here on, the bytes always have a row that names them.
        await deps.db.insertInto('import_images').values({
          id: imageId,
          batch_id: batchId,
          user_id: userId,
          position,
          filename,
          content_type: contentType,
          byte_size: 0,
          status: 'receiving',
          expires_at: new Date(Date.now() + deps.ttlSeconds * 1000),
        }).execute()
        if (Date.now() - touched > TOUCH_MS) {
          touched = Date.now()
          await deps.db.updateTable('import_batches').set({ updated_at: sql`now()` }).where('id', '=', batchId).execute()
        }
        stored.push(imageId)
        writer = deps.store.writer(imageId, contentType, deps.ttlSeconds)
        current(writer)
        await writer.write(head)
      }
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (failed) return
        size += chunk.length
        received += chunk.length
        if (size > limits.maxFileBytes) throw photoTooLarge(label, limits)
        checkRoom(usage, received, deps.room)
        if (writer) {
          await writer.write(chunk)
        }
        else {
          head = Buffer.concat([head, chunk])
          if (head.length >= SNIFF_BYTES) await open()
        }
      }
      if (failed) return
      if (!writer) {
        // An empty part without a name (an empty file input) is no file at all.
        if (size === 0 && !filename) return void sent--
        await open()
      }
      kept.push({ id: imageId, bytes: await writer!.end() })
      current(undefined)
    }

    parser.on('file', (field, stream, info) => {
      // Browsers send an empty, nameless part for an empty file input: that is no file.
      if (failed || field !== UPLOAD_FIELD) return void stream.resume()
      sent++
      const filename = cleanFilename(info.filename)
      const label = filename ?? `file ${sent}`
      if (sent > limits.maxFiles) return void stream.resume()
      chain = chain.then(async () => {
        if (failed) return void stream.resume()
        part = stream
        await receivePart(stream, label, filename)
        part = undefined
      }).catch((error) => {
        stream.resume()
        if (!malformed) fail(error)
      })
    })
    parser.on('error', () => {
      // Not multipart after all: read on (bounded by the cap, so a huge body still gets its 413), then 400.
      malformed = true
      req.unpipe(parser)
      part?.destroy()
      const unreadable = () => fail(new ImportError(400, 'The upload could not be read as multipart/form-data'))
      if (req.readableEnded) unreadable()
      else req.once('end', unreadable).resume()
    })
    parser.on('close', () => {
      chain.then(() => {
        if (failed || malformed) return
        if (sent > limits.maxFiles) return fail(tooManyPhotos(sent, limits))
        req.off('data', countBody)
        resolve(kept)
      })
    })
    req.on('data', countBody)
    req.on('error', () => fail(new ImportError(400, 'The upload was interrupted')))
    req.pipe(parser)
  })
}

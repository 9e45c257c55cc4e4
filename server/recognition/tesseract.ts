import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js'
import { OcrError, packageFile, type TextLine, type TextReader } from './reader'
import type { RgbImage } from './warp'

const LANGS = ['eng', 'fra']
const JOB_TIMEOUT_MS = 30_000
/** Long side tesseract reads at: small print needs ~2× a card's warp, big photos are shrunk to it. */
const READ_SIDE = 2000
const MAX_SCALE = 2

let langDir: string | undefined

/** tesseract.js takes ONE langPath directory: both languages are copied side by side once. */
function languageDirectory(): string {
  if (langDir) return langDir
  const dir = join(tmpdir(), 'pokeventory-tessdata')
  mkdirSync(dir, { recursive: true })
  for (const lang of LANGS) {
    const src = packageFile(`@tesseract.js-data/${lang}`, '4.0.0_best_int', `${lang}.traineddata.gz`)
    const dest = join(dir, `${lang}.traineddata.gz`)
    if (!existsSync(dest) || statSync(dest).size !== statSync(src).size) copyFileSync(src, dest)
  }
  langDir = dir
  return dir
}

interface Slot {
  worker: Promise<Worker>
  busy: boolean
  dead: boolean
  /** Rejects the job in progress when the worker reports an error. */
  fail?: (error: Error) => void
  /** Its parameters were set (sparse text). */
  ready: boolean
}

/**
 * tesseract.js as a text reader: a fixed-size pool of workers (eng+fra, offline), started lazily
 * and reused; each image is read as sparse text and its lines returned with their boxes (upright
 * only: tesseract cannot tell an upside-down line). A worker that errors or hangs is terminated and
 * replaced; only the job it was running fails.
 */
export function createTesseractReader(options: { size: number }): TextReader {
  const size = Math.max(1, Math.floor(options.size))
  const slots: Slot[] = []
  const waiting: ((slot: Slot) => void)[] = []
  let closed = false

  function spawn(): Slot {
    const slot: Slot = { worker: undefined as unknown as Promise<Worker>, busy: false, dead: false, ready: false }
    slot.worker = createWorker(LANGS.join('+'), OEM.LSTM_ONLY, {
      langPath: languageDirectory(),
      gzip: true,
      cacheMethod: 'none',
      // Without this, a worker error is an uncaught exception that kills the server.
      errorHandler: (error: unknown) => {
        slot.dead = true
        slot.fail?.(new OcrError(`OCR worker failed: ${String((error as Error)?.message ?? error)}`))
      },
    })
    slot.worker.catch(() => {
      slot.dead = true
    })
    return slot
  }

  function acquire(): Promise<Slot> {
    if (closed) return Promise.reject(new OcrError('OCR pool is closed'))
    for (let i = slots.length - 1; i >= 0; i--) if (slots[i]!.dead && !slots[i]!.busy) discard(slots[i]!)
    const idle = slots.find(s => !s.busy && !s.dead)
    if (idle) {
      idle.busy = true
      return Promise.resolve(idle)
    }
    if (slots.length < size) {
      const slot = spawn()
      slot.busy = true
      slots.push(slot)
      return Promise.resolve(slot)
    }
    return new Promise(res => waiting.push(res))
  }

  function discard(slot: Slot) {
    const i = slots.indexOf(slot)
    if (i >= 0) slots.splice(i, 1)
    slot.worker.then(w => w.terminate()).catch(() => {})
  }

  function release(slot: Slot) {
    slot.busy = false
    slot.fail = undefined
    if (slot.dead) discard(slot)
    const next = waiting.shift()
    if (!next) return
    // Hand the freed (or a fresh) worker straight to the next job in line.
    acquire().then(next, () => {})
  }

  async function run(slot: Slot, image: Buffer): Promise<TextLine[]> {
    const worker = await slot.worker
    if (!slot.ready) {
      await worker.setParameters({ tessedit_pageseg_mode: PSM.SPARSE_TEXT, user_defined_dpi: '300', debug_file: '/dev/null' })
      slot.ready = true
    }
    const { data } = await worker.recognize(image, {}, { blocks: true })
    const lines: TextLine[] = []
    for (const block of data.blocks ?? []) {
      for (const para of block.paragraphs) {
        for (const line of para.lines) {
          const { x0, y0, x1, y1 } = line.bbox
          const text = line.text.trim()
          if (text) lines.push({ text, score: line.confidence / 100, box: [[x0, y0], [x1, y0], [x1, y1], [x0, y1]], angle: 0, height: y1 - y0 })
        }
      }
    }
    return lines
  }

  async function recognize(image: Buffer): Promise<TextLine[]> {
    const slot = await acquire()
    let timer: NodeJS.Timeout | undefined
    try {
      return await new Promise<TextLine[]>((res, rej) => {
        slot.fail = rej
        timer = setTimeout(() => {
          slot.dead = true
          rej(new OcrError('OCR timed out'))
        }, JOB_TIMEOUT_MS)
        run(slot, image).then(res, (error: unknown) => {
          // A rejected job usually means a broken worker: replace it rather than reuse it.
          slot.dead = true
          rej(error instanceof OcrError ? error : new OcrError(`OCR failed: ${String((error as Error)?.message ?? error)}`))
        })
      })
    }
    finally {
      clearTimeout(timer)
      release(slot)
    }
  }

  /** Grey, scaled so small print reads (a card's warp ×2, a big photo shrunk to READ_SIDE); boxes scaled back. */
  async function read(image: RgbImage): Promise<TextLine[]> {
    const scale = Math.min(MAX_SCALE, READ_SIDE / Math.max(image.width, image.height))
    const png = await sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
      .resize(Math.round(image.width * scale), Math.round(image.height * scale), { kernel: 'cubic' })
      .greyscale()
      .png({ compressionLevel: 1 })
      .toBuffer()
    const lines = await recognize(png)
    return lines.map(l => ({ ...l, box: l.box.map(([x, y]) => [x / scale, y / scale]) as TextLine['box'], height: l.height / scale }))
  }

  async function warmUp() {
    const blank = { rgb: Buffer.alloc(64 * 32 * 3, 255), width: 64, height: 32 }
    await Promise.all(Array.from({ length: size }, () => read(blank).catch(() => null)))
  }

  async function close() {
    closed = true
    const all = slots.splice(0)
    await Promise.all(all.map(s => s.worker.then(w => w.terminate()).catch(() => {})))
  }

  return { engine: 'tesseract', size, turnsLines: false, read, warmUp, close }
}

import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js'

export { PSM }

export interface OcrWord {
  text: string
  confidence: number
  bbox: { x0: number, y0: number, x1: number, y1: number }
}

export interface OcrResult {
  text: string
  /** Mean confidence 0–100 as tesseract reports it. */
  confidence: number
  words: OcrWord[]
}

export interface OcrJob {
  /** PNG or JPEG bytes. */
  image: Buffer
  psm: PSM
  /** Restrict the characters tesseract may output. */
  whitelist?: string
  /** Also return the words with their boxes (slower to serialise). */
  words?: boolean
}

export interface OcrPool {
  recognize: (job: OcrJob) => Promise<OcrResult>
  /** Starts the workers now instead of on the first job (and runs one warm-up job each). */
  warmUp: () => Promise<void>
  readonly size: number
  close: () => Promise<void>
}

export class OcrError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'OcrError'
  }
}

const LANGS = ['eng', 'fra']
const JOB_TIMEOUT_MS = 30_000

/**
 * Finds `<pkg>/4.0.0_best_int/<lang>.traineddata.gz` from node_modules (as installed, or as
 * Nitro's tracer copied it into `.output/server/node_modules`, where no package.json may exist).
 */
function traineddataPath(lang: string): string {
  const rel = join('@tesseract.js-data', lang, '4.0.0_best_int', `${lang}.traineddata.gz`)
  const starts = [dirname(fileURLToPath(import.meta.url)), process.cwd()]
  for (const start of starts) {
    let dir = resolve(start)
    for (;;) {
      const candidate = join(dir, 'node_modules', rel)
      if (existsSync(candidate)) return candidate
      const parent = dirname(dir)
      if (parent === dir) break
      dir = parent
    }
  }
  try {
    const require = createRequire(import.meta.url)
    const candidate = join(dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`)), '4.0.0_best_int', `${lang}.traineddata.gz`)
    if (existsSync(candidate)) return candidate
  }
  catch { /* not resolvable */ }
  throw new OcrError(`OCR language data missing: ${rel}`)
}

let langDir: string | undefined

/** tesseract.js takes ONE langPath directory: both languages are copied side by side once. */
function languageDirectory(): string {
  if (langDir) return langDir
  const dir = join(tmpdir(), 'pokeventory-tessdata')
  mkdirSync(dir, { recursive: true })
  for (const lang of LANGS) {
    const src = traineddataPath(lang)
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
  params: string
}

/**
 * A fixed-size pool of tesseract workers (eng+fra, offline), started lazily and reused. A worker
 * that errors or hangs is terminated and replaced; only the job it was running fails.
 */
export function createOcrPool(options: { size: number }): OcrPool {
  const size = Math.max(1, Math.floor(options.size))
  const slots: Slot[] = []
  const waiting: ((slot: Slot) => void)[] = []
  let closed = false

  function spawn(): Slot {
    const slot: Slot = { worker: undefined as unknown as Promise<Worker>, busy: false, dead: false, params: '' }
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

  async function run(slot: Slot, job: OcrJob): Promise<OcrResult> {
    const worker = await slot.worker
    const params = `${job.psm}|${job.whitelist ?? ''}`
    if (slot.params !== params) {
      await worker.setParameters({ tessedit_pageseg_mode: job.psm, tessedit_char_whitelist: job.whitelist ?? '', user_defined_dpi: '300', debug_file: '/dev/null' })
      slot.params = params
    }
    const { data } = await worker.recognize(job.image, {}, { text: true, blocks: !!job.words })
    const words: OcrWord[] = []
    if (job.words) {
      for (const block of data.blocks ?? []) {
        for (const para of block.paragraphs) {
          for (const line of para.lines) {
            for (const w of line.words) words.push({ text: w.text, confidence: w.confidence, bbox: w.bbox })
          }
        }
      }
    }
    return { text: data.text ?? '', confidence: data.confidence ?? 0, words }
  }

  async function recognize(job: OcrJob): Promise<OcrResult> {
    const slot = await acquire()
    let timer: NodeJS.Timeout | undefined
    try {
      return await new Promise<OcrResult>((res, rej) => {
        slot.fail = rej
        timer = setTimeout(() => {
          slot.dead = true
          rej(new OcrError('OCR timed out'))
        }, JOB_TIMEOUT_MS)
        run(slot, job).then(res, (error: unknown) => {
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

  async function warmUp() {
    const blank = await import('sharp').then(({ default: sharp }) =>
      sharp({ create: { width: 64, height: 32, channels: 3, background: '#fff' } }).png().toBuffer())
    await Promise.all(Array.from({ length: size }, () => recognize({ image: blank, psm: PSM.SINGLE_LINE }).catch(() => null)))
  }

  async function close() {
    closed = true
    const all = slots.splice(0)
    await Promise.all(all.map(s => s.worker.then(w => w.terminate()).catch(() => {})))
  }

  return { recognize, warmUp, size, close }
}

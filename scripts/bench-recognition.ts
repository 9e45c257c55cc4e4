/**
 * Recognition benchmark:
 *   npm run bench:recognition -- <dir> [--engine paddle|tesseract|both] [--client-resize] [--json FILE] [--workers N]
 * Runs the same analyzePhoto the import API runs on every photo of <dir>/labels.json and prints
 * one line per photo, then one summary line per engine:
 *   engine=… top1=… top5=… confident_recall=… cards=… photos=… p50_ms=… ms_per_card=… confident_precision=… rss_mb=…
 * Matching: in each photo, drafts are matched one to one with the labelled cards (a draft serves a
 * label when the label's cardId is its first candidate — or within its first five for top5, or its
 * first and confident for confident_recall); labels with `cardId: null` or `certain: false` are left
 * out. confident_precision: among drafts marked confident, the share whose first candidate is a
 * card of that photo. p50_ms: median time of the photos of one card; ms_per_card: time per
 * labelled card on photos of several. `--client-resize` first applies the browser's resize rule
 * (shared/upload.ts) to each photo. rss_mb: the process's peak so far.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'
import sharp from 'sharp'
import { readCatalogFile } from '../server/catalog/source'
import {
  analyzePhoto, buildCatalogIndex, type CatalogIndex, catalogEntriesFromFile, createTextReader, OCR_ENGINES, type PhotoAnalysis,
} from '../server/recognition'
import { CLIENT_RESIZE_JPEG_QUALITY, clientResizeTarget } from '../shared/upload'

interface LabelCard { cardId: string | null, certain?: boolean }
interface LabelPhoto { file: string, kind: string, cards: LabelCard[] }

const args = process.argv.slice(2)
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
const valued = new Set(['--json', '--workers', '--engine'])
const dir = args.find((a, i) => !a.startsWith('--') && !valued.has(args[i - 1] ?? ''))
const jsonOut = option('--json')
const workers = Number(option('--workers') ?? availableParallelism())
const engineArg = option('--engine') ?? process.env.OCR_ENGINE ?? 'paddle'
const engines = engineArg === 'both' ? [...OCR_ENGINES] : [engineArg]
const clientResize = args.includes('--client-resize')

if (!dir || !existsSync(join(dir, 'labels.json'))) {
  console.log(`bench:recognition: skipped, no labels.json in ${dir ?? '(no directory given)'}`)
  process.exit(0)
}

/** Maximum one-to-one matching (Kuhn's augmenting paths; photos hold a handful of cards). */
function maxMatching(drafts: string[][], labels: string[]): number {
  const owner = new Array<number>(labels.length).fill(-1)
  const tryDraft = (d: number, seen: boolean[]): boolean => {
    for (let l = 0; l < labels.length; l++) {
      if (seen[l] || !drafts[d]!.includes(labels[l]!)) continue
      seen[l] = true
      if (owner[l] === -1 || tryDraft(owner[l]!, seen)) {
        owner[l] = d
        return true
      }
    }
    return false
  }
  let matched = 0
  for (let d = 0; d < drafts.length; d++) if (tryDraft(d, new Array(labels.length).fill(false))) matched++
  return matched
}

const median = (values: number[]) => {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.ceil(0.5 * sorted.length) - 1]!
}

/** The photo as the browser would send it (shared/upload.ts): EXIF applied, long side at most the limit, JPEG. */
async function asUploaded(bytes: Buffer): Promise<Buffer> {
  const meta = await sharp(bytes).rotate().toBuffer({ resolveWithObject: true }).then(r => r.info)
  const target = clientResizeTarget(meta.width, meta.height)
  if (!target.resized) return bytes
  return sharp(bytes).rotate().resize(target.width, target.height).jpeg({ quality: Math.round(CLIENT_RESIZE_JPEG_QUALITY * 100) }).toBuffer()
}

async function bench(engine: string, photos: LabelPhoto[], index: CatalogIndex) {
  const ocr = createTextReader(engine, { threads: workers })
  await ocr.warmUp()
  const options = { index, ocr, maxCandidates: 5, confidenceThreshold: Number(process.env.ANALYSIS_CONFIDENCE_THRESHOLD ?? 0.82), maxPixels: 60_000_000 }
  const load = async (file: string) => {
    const bytes = readFileSync(join(dir!, file))
    return clientResize ? asUploaded(bytes) : bytes
  }
  // Warm-up: one photo untimed.
  await analyzePhoto(await load(photos[0]!.file), options).catch(() => null)

  let cards = 0, top1 = 0, top5 = 0, sure = 0, draftsFound = 0, confident = 0, confidentRight = 0
  const singleMs: number[] = []
  let multiMs = 0, multiCards = 0
  const details: unknown[] = []
  for (const photo of photos) {
    const labels = photo.cards.filter(c => c.cardId && c.certain !== false).map(c => c.cardId!)
    const anyLabel = new Set(photo.cards.map(c => c.cardId).filter(Boolean))
    const bytes = await load(photo.file)
    const cpu = process.cpuUsage()
    const started = performance.now()
    let analysis: PhotoAnalysis | null = null
    let error: string | null = null
    try {
      analysis = await analyzePhoto(bytes, options)
    }
    catch (e) {
      error = (e as Error).message
    }
    const ms = performance.now() - started
    // CPU time of every thread (inference runs in a worker): the cost whatever else the machine runs.
    const used = process.cpuUsage(cpu)
    const cpuMs = (used.user + used.system) / 1000
    if (photo.cards.length > 1) {
      multiMs += ms
      multiCards += photo.cards.length
    }
    else singleMs.push(ms)
    const drafts = analysis?.drafts ?? []
    draftsFound += drafts.length
    const m1 = maxMatching(drafts.map(d => d.candidates.slice(0, 1).map(c => c.cardId)), labels)
    const m5 = maxMatching(drafts.map(d => d.candidates.slice(0, 5).map(c => c.cardId)), labels)
    const mSure = maxMatching(drafts.map(d => (d.confident ? d.candidates.slice(0, 1).map(c => c.cardId) : [])), labels)
    cards += labels.length
    top1 += m1
    top5 += m5
    sure += mSure
    let photoConfident = 0, photoWrong = 0
    for (const d of drafts) {
      if (!d.confident) continue
      confident++
      photoConfident++
      if (anyLabel.has(d.candidates[0]!.cardId)) confidentRight++
      else photoWrong++
    }
    const firsts = drafts.map(d => `${d.candidates[0]?.cardId ?? '-'}${d.confident ? '!' : ''}(${d.candidates[0]?.score ?? 0})`)
    console.log(`${photo.file} kind=${photo.kind} cards=${labels.length} drafts=${drafts.length} top1=${m1} top5=${m5} confident=${photoConfident}${photoWrong ? ` CONFIDENT_WRONG=${photoWrong}` : ''} ms=${Math.round(ms)} cpu_ms=${Math.round(cpuMs)} first=[${firsts.join(' ')}] want=[${labels.join(' ')}]${error ? ` error=${error}` : ''}`)
    details.push({
      file: photo.file,
      kind: photo.kind,
      labels,
      ms: Math.round(ms),
      cpuMs: Math.round(cpuMs),
      error,
      timings: analysis?.timings,
      drafts: drafts.map(d => ({ quad: d.quad, read: d.read, candidates: d.candidates, confident: d.confident, status: d.status, failureReason: d.failureReason })),
    })
  }
  await ocr.close()

  const rssMb = Math.round(process.resourceUsage().maxRSS / 1024)
  const f2 = (n: number) => n.toFixed(2)
  const share = (n: number) => f2(cards ? n / cards : 0)
  const summary = `engine=${engine}${clientResize ? ' client_resize=1' : ''} top1=${share(top1)} top5=${share(top5)} confident_recall=${share(sure)} cards=${cards} photos=${photos.length} `
    + `p50_ms=${Math.round(median(singleMs))} ms_per_card=${multiCards ? Math.round(multiMs / multiCards) : 0} `
    + `confident_precision=${f2(confident ? confidentRight / confident : 1)} rss_mb=${rssMb}`
  console.log(`confident_drafts=${confident} drafts=${draftsFound}`)
  return { summary, details }
}

async function main() {
  const photos = JSON.parse(readFileSync(join(dir!, 'labels.json'), 'utf8')) as LabelPhoto[]
  const catalogPath = resolve(import.meta.dirname, '../data/tcgdex-catalog.json.gz')
  const index = buildCatalogIndex(catalogEntriesFromFile(await readCatalogFile(catalogPath)))
  const results = []
  for (const engine of engines) results.push(await bench(engine, photos, index))
  // The summary lines last, side by side.
  for (const r of results) console.log(r.summary)
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results.length === 1 ? { summary: results[0]!.summary, photos: results[0]!.details } : results.map(r => ({ summary: r.summary, photos: r.details })), null, 2))
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})

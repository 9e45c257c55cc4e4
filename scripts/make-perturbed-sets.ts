/**
 * Perturbed copies of a labelled photo folder, to measure recognition on photos unlike the ones
 * it was tuned on: `npx tsx scripts/make-perturbed-sets.ts <dir> <out-prefix>` writes
 *   <out-prefix>-turned  every photo turned by 90° and by 180°
 *   <out-prefix>-small   every photo at 60 % of its size, JPEG quality 82
 *   <out-prefix>-720     the close-ups (kind `bottom`) at 1280 × 720 at most, a webcam's size
 *   <out-prefix>-tilt    every photo taken at a slant: a perspective keystone (the top edge 10 %
 *                        narrower on each side, its left corner 4 % lower)
 *   <out-prefix>-blur    every photo out of focus: Gaussian blur σ 1.5, JPEG quality 75
 * each with its labels.json (the same cards; geometry such as quads left out). EXIF orientation is
 * applied first. Write them outside the repository: real photos must not be committed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { useCv, withMats } from '../server/recognition/cv'

interface LabelPhoto { file: string, kind: string, cards: Record<string, unknown>[], [key: string]: unknown }

const [src, prefix] = process.argv.slice(2)
if (!src || !prefix) {
  console.error('usage: tsx scripts/make-perturbed-sets.ts <labelled dir> <out prefix>')
  process.exit(1)
}

type Raw = { data: Buffer, width: number, height: number }

async function decode(file: string): Promise<Raw> {
  const { data, info } = await sharp(readFileSync(join(src!, file))).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

const jpeg = (img: Raw, quality: number) => sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } }).jpeg({ quality }).toBuffer()

/** The photo seen at a slant: top edge 10 % narrower each side, its left corner 4 % lower. */
function keystone(img: Raw): Raw {
  const { cv } = useCv()
  const { width: w, height: h } = img
  return withMats((track) => {
    const srcMat = track(new cv.Mat(h, w, cv.CV_8UC3))
    srcMat.data.set(img.data)
    const from = track(cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, w, 0, w, h, 0, h]))
    const to = track(cv.matFromArray(4, 1, cv.CV_32FC2, [0.1 * w, 0.04 * h, 0.9 * w, 0, w, h, 0, h]))
    const m = track(cv.getPerspectiveTransform(from, to))
    const out = track(new cv.Mat())
    cv.warpPerspective(srcMat, out, m, new cv.Size(w, h), cv.INTER_LINEAR, cv.BORDER_REPLICATE)
    return { data: Buffer.from(out.data), width: w, height: h }
  })
}

/** Labels without geometry (quads no longer match the perturbed pixels). */
function cardsOnly(photo: LabelPhoto, file: string): LabelPhoto {
  const cards = photo.cards.map(c => Object.fromEntries(Object.entries(c).filter(([k]) => !/quad$/i.test(k))))
  return { file, kind: photo.kind, cards }
}

async function main() {
  const photos = JSON.parse(readFileSync(join(src!, 'labels.json'), 'utf8')) as LabelPhoto[]
  const sets: Record<string, LabelPhoto[]> = { turned: [], small: [], 720: [], tilt: [], blur: [] }
  const write = (set: string, file: string, bytes: Buffer, photo: LabelPhoto) => {
    const dir = `${prefix}-${set}`
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, file), bytes)
    sets[set]!.push(cardsOnly(photo, file))
  }
  for (const photo of photos) {
    const base = photo.file.replace(/\.[^.]+$/, '')
    const img = await decode(photo.file)
    const pipe = () => sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    for (const angle of [90, 180]) write('turned', `${base}-rot${angle}.jpg`, await pipe().rotate(angle).jpeg({ quality: 92 }).toBuffer(), photo)
    write('small', `${base}-60.jpg`, await pipe().resize(Math.round(img.width * 0.6), Math.round(img.height * 0.6)).jpeg({ quality: 82 }).toBuffer(), photo)
    if (photo.kind === 'bottom') write('720', `${base}-720.jpg`, await pipe().resize(1280, 720, { fit: 'inside' }).jpeg({ quality: 90 }).toBuffer(), photo)
    write('tilt', `${base}-tilt.jpg`, await jpeg(keystone(img), 92), photo)
    write('blur', `${base}-blur.jpg`, await pipe().blur(1.5).jpeg({ quality: 75 }).toBuffer(), photo)
    console.log(photo.file)
  }
  for (const [set, labels] of Object.entries(sets)) {
    if (labels.length) writeFileSync(join(`${prefix}-${set}`, 'labels.json'), `${JSON.stringify(labels, null, 2)}\n`)
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})

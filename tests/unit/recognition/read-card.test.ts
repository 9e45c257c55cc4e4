import { resolve } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readCatalogFile } from '../../../server/catalog/source'
import { buildCatalogIndex, type CatalogIndex, catalogEntriesFromFile, createOcrPool, type OcrPool } from '../../../server/recognition'
import { PSM } from '../../../server/recognition/ocr-pool'
import { alignedRows, boxMean, codesToSettle, darkGround, knownNameSimilarity, likelyTurned, localContrastPng, looseHp, matchCode, nameCorners, nameQueries, printedSomewhere, provesWayUp, readBottom, readCardText, readPhotoNumbers, rowNumbers, secondOpinion, splitStackRows, stackRowParts, textRunsDown, unglued } from '../../../server/recognition/read-card'
import { parseCardNumbers } from '../../../server/recognition/parse'
import { CARD_H, CARD_W, type RgbImage, rotate180, rotate90 } from '../../../server/recognition/warp'

/** A plain straightened card: a big name row on top, small print and the number at the bottom. */
async function drawnCard(opts: { number?: boolean, numberFill?: string, name?: string, numberAt?: { x: number, y: number }, copyrightAt?: { x: number, y: number } } = {}): Promise<RgbImage> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_W}" height="${CARD_H}">
    <rect width="100%" height="100%" fill="#f3e7d0"/>
    <text x="40" y="68" font-family="DejaVu Sans" font-weight="bold" font-size="46" fill="#111">${opts.name ?? 'Charmander'}</text>
    <text x="500" y="68" font-family="DejaVu Sans" font-weight="bold" font-size="46" fill="#111">HP 70</text>
    <rect x="50" y="130" width="620" height="420" fill="#7aa35c"/>
    <text x="40" y="930" font-family="DejaVu Sans" font-size="16" fill="#222">Illus. GIDORA</text>
    ${opts.number === false ? '' : `<text x="${opts.numberAt?.x ?? 40}" y="${opts.numberAt?.y ?? 975}" font-family="DejaVu Sans" font-weight="bold" font-size="22" fill="${opts.numberFill ?? '#111'}">PAF EN 007/091</text>`}
    <text x="${opts.copyrightAt?.x ?? 300}" y="${opts.copyrightAt?.y ?? 975}" font-family="DejaVu Sans" font-size="13" fill="#222">©2024 Pokémon / Nintendo / Creatures</text>
  </svg>`
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return { rgb: data, width: info.width, height: info.height }
}

let index: CatalogIndex
let ocr: OcrPool
beforeAll(async () => {
  index = buildCatalogIndex(catalogEntriesFromFile(await readCatalogFile(resolve(import.meta.dirname, '../../../data/tcgdex-catalog.json.gz'))))
  ocr = createOcrPool({ size: 2 })
})
afterAll(() => ocr?.close())

describe('likelyTurned', () => {
  it('tells an upside-down card from the layout of its text lines alone', async () => {
    const card = await drawnCard()
    expect(likelyTurned(card)).toBe(false)
    expect(likelyTurned(rotate180(card))).toBe(true)
  })
})

describe('textRunsDown', () => {
  it('tells a card whose text runs down it (a part of a card taken for a whole one) from an upright or upside-down card', async () => {
    const card = await drawnCard()
    expect(textRunsDown(card)).toBe(false)
    expect(textRunsDown(rotate180(card))).toBe(false)
    expect(textRunsDown(rotate90(card))).toBe(true)
  })
})

describe('readCardText', () => {
  it('reads name row, HP and number, and turns an upside-down card the right way', async () => {
    const card = await drawnCard()
    for (const [img, turned] of [[card, false], [rotate180(card), true]] as const) {
      const read = await readCardText(img, ocr, index)
      expect(read.turned, JSON.stringify(read.read.raw)).toBe(turned)
      expect(read.read.hp, JSON.stringify(read.read.raw)).toBe(70)
      expect(read.read.raw.name).toMatch(/Charmander/)
      expect(read.read.hp).toBe(70)
      expect(read.read).toMatchObject({ number: '007', printedTotal: 91 })
      // The catalogue-vouched reading comes first.
      expect(read.reading.numbers[0]).toMatchObject({ value: 7, printedTotal: 91 })
    }
  }, 60_000)
})

/** A pool that counts its jobs and reads nothing (or delegates to a real pool). */
function counting(inner?: OcrPool): OcrPool & { calls: number } {
  const pool = {
    calls: 0,
    size: 2,
    warmUp: async () => {},
    close: async () => {},
    recognize: async (job: Parameters<OcrPool['recognize']>[0]) => {
      pool.calls++
      return inner ? inner.recognize(job) : { text: '', confidence: 0, words: [] }
    },
  }
  return pool
}

describe('looseHp', () => {
  it('takes the last multiple of ten in the name row, without the type symbol glued to it', () => {
    expect(looseHp('Charmander 70')).toBe(70)
    expect(looseHp('+ Sprigatito 609')).toBe(60)
    expect(looseHp('“ Hypno -1108')).toBe(110)
    expect(looseHp('(es scizorax 2100)')).toBe(210)
    // The name's own line, under a stray one with digits; the type symbol read as two digits.
    const namesScizor = (line: string) => line.includes('Scizor')
    expect(looseHp('a 20 S\n% 2e Scizor ES (D 14014', namesScizor)).toBe(140)
    expect(looseHp('a 20 S\n% 2e Scizor ES (D 14014')).toBeNull()
    // Digits on a later line that does not hold the name are not its HP.
    expect(looseHp('(fa fScizorV JANE) 10@\nfz go : RS\nAE 3105)', namesScizor)).toBeNull()
    expect(looseHp('Metang 80. ®')).toBe(80)
    expect(looseHp('Fighting Energy 1')).toBeNull()
  })
})

describe('nameQueries', () => {
  it('tries runs of the words of each line, labels at either end left out', () => {
    const queries = nameQueries('BASIC Charmander HP 70')
    expect(queries).toContain('Charmander')
    expect(queries).not.toContain('BASIC Charmander')
    expect(queries).not.toContain('Charmander HP 70')
  })

  it('also tries the words OCR glued together, apart', () => {
    expect(unglued('(vmax}ScizorViriy © 3000)').trim().split(/\s+/)).toEqual(['vmax', 'Scizor', 'Viriy', '3000'])
    expect(nameQueries('(vmax}ScizorViriy © 3000)')).toEqual(expect.arrayContaining(['vmaxScizorViriy', 'Scizor', 'vmax Scizor Viriy']))
    // A lone name is left as it is.
    expect(nameQueries('Farfetch’d')).toEqual(['Farfetch’d'])
  })
})

describe('nameCorners', () => {
  it('names the one corner where every printing of a sure name prints its number', () => {
    // Only printed since 2017 (English and French names): bottom left.
    expect(nameCorners(index, nameQueries('+ Sprigatito »609'))).toEqual(['left'])
    expect(nameCorners(index, nameQueries('Poussacha'))).toEqual(['left'])
    // Printed in every era: both corners stay in play; so do names not surely read.
    expect(nameCorners(index, nameQueries('Espeon'))).toBeNull()
    expect(nameCorners(index, nameQueries('Sprgtx'))).toBeNull()
  })
})

describe('printedSomewhere', () => {
  it('tells a number some card prints from digits that only parse as one', () => {
    const number = (text: string) => parseCardNumbers(text)[0]!
    expect(printedSomewhere(number('036/142'), index)).toBe(true)
    expect(printedSomewhere(number('8/102'), index)).toBe(true)
    expect(printedSomewhere(number('SWSH050'), index)).toBe(true)
    // Upside-down `036/142` and `©2024` lines.
    expect(printedSomewhere(number('21/50'), index)).toBe(false)
    expect(printedSomewhere(number('94/22'), index)).toBe(false)
  })
})

describe('provesWayUp', () => {
  it('takes a clean number some card prints as proof of the way up, not a repair nor digits that only parse', () => {
    const numbers = (text: string) => parseCardNumbers(text, index.totals)
    expect(provesWayUp(numbers('ETD 036/142'), index)).toBe(true)
    // Off upside-down prints: digits no card prints that way, a padded total under an unpadded number, a glued year.
    expect(provesWayUp(numbers('PS 94/22 (UI)'), index)).toBe(false)
    expect(provesWayUp(numbers('© [8/010 own)'), index)).toBe(false)
    expect(provesWayUp(numbers('21020'), index)).toBe(false)
  })
})

describe('knownNameSimilarity', () => {
  it('trusts long names read roughly, short ones read exactly, and no run of four letters or fewer', () => {
    expect(knownNameSimilarity(index, ['Charmandor'])).toBeGreaterThan(0.86)
    expect(knownNameSimilarity(index, ['Absol'])).toBe(1)
    expect(knownNameSimilarity(index, ['Absoi'])).toBe(0)
    // Noise off a turned card that happens to spell a short name.
    expect(knownNameSimilarity(index, ['iris', 'PERL', 'Mew'])).toBe(0)
  })
})

describe('orientation', () => {
  it('with nothing legible either way, a card stays the way up it lies in the photo', async () => {
    // Tall print at the bottom only (an attack box on a full-art card): the layout alone says "turned".
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_W}" height="${CARD_H}">
      <rect width="100%" height="100%" fill="#c9c9c9"/>
      ${[0, 1, 2, 3, 4, 5].map(i => `<rect x="${60 + i * 30}" y="920" width="20" height="32" fill="#222"/>`).join('')}</svg>`
    const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    const card = { rgb: data, width: info.width, height: info.height }
    expect(likelyTurned(card)).toBe(true)
    const read = await readCardText(card, ocr, index)
    expect(read.turned, JSON.stringify(read.read.raw)).toBe(false)
  }, 60_000)
})

describe('orientation of a card whose name row reads empty', () => {
  it('reads the name band of the other side, and turns the card by it', async () => {
    // Upside down, with tall dark boxes at its (turned) top: the layout guesses "upright".
    const drawn = await drawnCard({ number: false })
    const boxes = `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_W}" height="${CARD_H}">${[0, 1, 2, 3].map(i => `<rect x="${80 + i * 60}" y="${CARD_H - 60}" width="40" height="50" fill="#222"/>`).join('')}</svg>`
    const { data } = await sharp(drawn.rgb, { raw: { width: CARD_W, height: CARD_H, channels: 3 } }).composite([{ input: Buffer.from(boxes) }]).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    const card = rotate180({ rgb: data, width: CARD_W, height: CARD_H })
    expect(likelyTurned(card)).toBe(false)
    // A holo name row: tesseract reads nothing in the row alone, the band reads the name.
    const pool = counting(ocr)
    const inner = pool.recognize
    pool.recognize = async (job) => {
      const { width } = await sharp(job.image).metadata()
      return job.psm === PSM.SINGLE_LINE && width! >= CARD_W * 0.9 ? { text: '', confidence: 0, words: [] } : inner(job)
    }
    const read = await readCardText(card, pool, index)
    expect(read.turned, JSON.stringify(read.read.raw)).toBe(true)
    expect(read.read.name).toBe('Charmander')
  }, 60_000)
})

describe('faint print', () => {
  it('boxMean is the mean of each clipped neighbourhood', () => {
    const grey = Uint8Array.from([0, 0, 0, 0, 90, 0, 0, 0, 0])
    const mean = boxMean(grey, 3, 3, 1)
    expect(mean[4]).toBeCloseTo(10)
    expect(mean[0]).toBeCloseTo(22.5)
  })

  it('local contrast makes grey print on a grey ground dark on white', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60"><rect width="100%" height="100%" fill="#9a9a9a"/>
      <text x="10" y="40" font-family="DejaVu Sans" font-size="24" fill="#8a8a8a">67/114</text></svg>`
    const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    const png = await localContrastPng({ rgb: data, width: info.width, height: info.height }, { x0: 0, y0: 0, x1: 1, y1: 1 }, 1)
    const stats = await sharp(png).stats()
    expect(stats.channels[0]!.min).toBeLessThan(120)
    expect(stats.channels[0]!.max).toBeGreaterThan(230)
  })

  it('a number on the very bottom edge of the warp (a quad a little inside the card) is read from its line', async () => {
    const card = await drawnCard({ numberAt: { x: 440, y: 1004 } })
    // No corner look: the line finder alone.
    const bottom = await readBottom(card, ocr, index, { looks: 0 })
    expect(bottom.numbers[0], bottom.text).toMatchObject({ value: 7, printedTotal: 91 })
  }, 60_000)

  it('the centred copyright line below the number row is not taken for it', async () => {
    // Cut at the middle, the copyright line's left piece starts at a quarter of the width.
    const card = await drawnCard({ numberAt: { x: 40, y: 960 }, copyrightAt: { x: 175, y: 996 } })
    const pool = counting(ocr)
    const bottom = await readBottom(card, pool, index)
    expect(bottom.numbers[0], bottom.text).toMatchObject({ value: 7, printedTotal: 91 })
    // The number row is the lowest line at either edge: it is the one line read.
    expect(pool.calls).toBe(1)
  }, 60_000)

  it('a number too faint for the line finder is read from its corner', async () => {
    const card = await drawnCard({ numberFill: '#d9cdb6' })
    const bottom = await readBottom(card, ocr, index)
    expect(bottom.numbers[0], bottom.text).toMatchObject({ value: 7, printedTotal: 91 })
    // Corner by corner (a binder page's cards), the bottom-right is not looked at once the left gave the number.
    let looks = 0
    const pool = counting(ocr)
    pool.recognize = async (job) => {
      if (job.psm === PSM.SPARSE_TEXT) looks++
      return ocr.recognize(job)
    }
    const one = await readBottom(card, pool, index, { oneByOne: true })
    expect(one.numbers[0], one.text).toMatchObject({ value: 7, printedTotal: 91 })
    expect(looks).toBe(1)
    looks = 0
    await readBottom(card, pool, index)
    expect(looks).toBe(2)
  }, 60_000)
})

describe('fanned stacks', () => {
  it('counts the number rows that line up down one side, not stray print', () => {
    const row = (x: number, y: number, width = 240, height = 40) => ({ x, y, width, height })
    const lines = [row(340, 500), row(346, 600), row(338, 700), row(900, 650), row(344, 800, 240, 12), row(300, 900, 1400)]
    expect(alignedRows(lines, 20)).toEqual([3, 3, 3, 1, 0, 0])
    // Right-aligned rows (numbers printed bottom-right before 2011) count too.
    expect(alignedRows([row(100, 10, 200), row(150, 60, 150), row(50, 110, 250)], 10)).toEqual([3, 3, 3])
    // A copyright line and its two ends (`rowEnds`) share its edges, but are one row.
    expect(alignedRows([row(300, 900, 700, 50), row(300, 900, 400, 50), row(600, 900, 400, 50)], 20)).toEqual([1, 1, 1])
  })

  it('reads a row merged with the illustrator line above it from its bottom too', () => {
    const usual = { x: 330, y: 1319, width: 254, height: 42 }
    expect(stackRowParts(usual, 42)).toEqual([usual])
    const merged = { x: 323, y: 982, width: 269, height: 71 }
    expect(stackRowParts(merged, 42)).toEqual([merged, { x: 323, y: 1011, width: 269, height: 42 }])
  })
})

describe('split stack rows', () => {
  /** Three stack rows and below them an energy's short row, `SVE` box and grey `007`, which the line finder splits. */
  async function energyStack(): Promise<RgbImage> {
    const bands = ['#c9a13a', '#d2674a', '#5a9bd0']
    const box = (y: number, code: string) => `<rect x="60" y="${y}" width="70" height="36" rx="5" fill="#333"/><text x="66" y="${y + 26}" font-family="DejaVu Sans" font-weight="bold" font-size="20" fill="#fff">${code}</text>`
    const rows = ['126', '101', '045'].map((n, i) => `<rect x="0" y="${35 + i * 110}" width="1400" height="70" fill="${bands[i]}"/>${box(52 + i * 110, 'TWM')}
      <text x="140" y="${80 + i * 110}" font-family="DejaVu Sans" font-weight="bold" font-style="italic" font-size="30" fill="#222">${n}/167</text>`).join('')
    const energy = `<rect x="0" y="365" width="1400" height="70" fill="#c8c8c8"/>${box(382, 'SVE')}
      <text x="144" y="410" font-family="DejaVu Sans" font-style="italic" font-size="20" fill="#777">007</text>`
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="520"><rect width="100%" height="100%" fill="#888"/>${rows}${energy}</svg>`
    const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    return { rgb: data, width: info.width, height: info.height }
  }

  it('joins side-by-side pieces that line up with the stack\'s rows and have their height', () => {
    const rows = [{ x: 60, y: 51, width: 218, height: 38 }, { x: 60, y: 161, width: 218, height: 38 }]
    const box = { x: 60, y: 381, width: 72, height: 38 }, digits = { x: 145, y: 394, width: 39, height: 17 }
    expect(splitStackRows([...rows, box, digits], rows, 20)).toEqual([{ x: 60, y: 381, width: 124, height: 38 }])
    // Away from the rows' edge, or too far apart: nothing.
    expect(splitStackRows([...rows, { ...box, x: 400 }, { ...digits, x: 485 }], rows, 20)).toEqual([])
    expect(splitStackRows([...rows, box, { ...digits, x: 200 }], rows, 20)).toEqual([])
  })

  it('reads an energy\'s split row as its code box and digits', async () => {
    const read = async (boxText: string) => {
      const pool = counting()
      const plain = ['TWM 126/167', 'TWM 101/167', 'TWM 045/167']
      pool.recognize = async ({ psm }) => {
        pool.calls++
        return { text: psm === PSM.SPARSE_TEXT ? 'AIT) 007' : plain.shift() ?? boxText, confidence: 60, words: [] }
      }
      const { found } = await readPhotoNumbers(await energyStack(), pool, index, { maxLines: 16, stacks: true })
      return found.map(f => `${f.setCode ?? ''} ${f.number.number}/${f.number.printedTotal ?? ''}`.trim()).sort()
    }
    expect(await read('svi')).toEqual(['045/167', '101/167', '126/167', 'SVE 007/'])
    // A box that reads as no energy code: no draft from digits alone.
    expect(await read('xyz')).toEqual(['045/167', '101/167', '126/167'])
  })
})

describe('a plain stack', () => {
  it('one number among seven rows that line up is enough to read the others again', async () => {
    const numbers = ['010', '126', '101', '045', '143', '122', '079']
    const rows = numbers.map((n, i) => `<rect x="0" y="${35 + i * 110}" width="1400" height="70" fill="#c9a13a"/>
      <rect x="60" y="${52 + i * 110}" width="70" height="36" rx="5" fill="#333"/>
      <text x="140" y="${80 + i * 110}" font-family="DejaVu Sans" font-weight="bold" font-style="italic" font-size="30" fill="#222">${n}/167</text>`).join('')
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="820"><rect width="100%" height="100%" fill="#888"/>${rows}</svg>`
    const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    // Blurred or tilted rows: the plain read gets one number; the local-contrast one (scaled for
    // the digits, so twice as tall) gets each row's.
    const pool = counting()
    let plainNumber = true
    const again = numbers.slice(1)
    pool.recognize = async ({ image }) => {
      pool.calls++
      const { height } = await sharp(image).metadata()
      if (height! > 100) return { text: `TWM ${again.shift() ?? ''}/167`, confidence: 60, words: [] }
      const text = plainNumber ? 'TWM 010/167' : 'EEE re'
      plainNumber = false
      return { text, confidence: 60, words: [] }
    }
    const { found } = await readPhotoNumbers({ rgb: data, width: info.width, height: info.height }, pool, index, { maxLines: 16, stacks: true })
    expect(found.map(f => f.number.number).sort()).toEqual([...numbers].sort())
  })
})

describe('second opinions on a stack row', () => {
  it('appends a second reading only when it reads another number the catalogue vouches for', () => {
    expect(secondOpinion('(WITLI 075/167 +.', parseCardNumbers('(WITLI 075/167 +.', index.totals), 'WITT 79/167 +', index)).toBe('(WITLI 075/167 +.\nWITT 79/167 +')
    for (const other of ['WIT 075/167 +', 'WITT', 'WITT 79/999 +']) {
      expect(secondOpinion('075/167 +', parseCardNumbers('075/167 +', index.totals), other, index)).toBe('075/167 +')
    }
  })

  it('takes the second reading\'s numbers as repairs, after the first\'s', () => {
    expect(rowNumbers('075/167 +\nWITT 79/167 +', index).map(n => [n.number, n.printedTotal, !!n.loose])).toEqual([['075', 167, false], ['79', 167, true]])
    expect(rowNumbers('075/167 +\n075/167', index)).toHaveLength(1)
  })
})

describe('stack rows in a white halo', () => {
  it('a row no plain or local-contrast read gets is read with its coloured ground lifted to white', async () => {
    const bands = ['#c9a13a', '#d2674a', '#5a9bd0', '#8a5a9a']
    const rows = ['126', '101', '045', '078'].map((n, i) => `<rect x="0" y="${35 + i * 110}" width="1400" height="70" fill="${bands[i]}"/>
      <text x="60" y="${80 + i * 110}" font-family="DejaVu Sans" font-weight="bold" font-style="italic" font-size="30" fill="#222" stroke="#f4f4f4" stroke-width="6" paint-order="stroke">${n}/167</text>`).join('')
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="520"><rect width="100%" height="100%" fill="#888"/>${rows}</svg>`
    const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    // A pool that reads three rows, and the fourth only once its ground is white all around.
    const pool = counting()
    const plain = ['HIT 126/167', 'WILE 101/167', 'Dis 045/167']
    pool.recognize = async ({ image }) => {
      pool.calls++
      const { channels } = await sharp(image).stats()
      if (channels[0]!.mean > 215) return { text: 'fe] 0787167204', confidence: 60, words: [] }
      return { text: plain.shift() ?? 'a is aor', confidence: 60, words: [] }
    }
    const { found } = await readPhotoNumbers({ rgb: data, width: info.width, height: info.height }, pool, index, { maxLines: 16, stacks: true })
    expect(found.map(f => `${f.number.number}/${f.number.printedTotal}`).sort()).toEqual(['045/167', '078/167', '101/167', '126/167'])
  })
})

describe('reading cost', () => {
  it('a name the catalogue knows settles the orientation: the turned side is not read', async () => {
    const card = await drawnCard({ number: false })
    const pool = counting(ocr)
    const read = await readCardText(card, pool, index)
    expect(read.turned).toBe(false)
    expect(read.read.name).toBe('Charmander')
    expect(read.read.number).toBeNull()
    // One side only: two bottom rounds, two looks at the two number corners and the name row, 9
    // calls (the turned side would add 3 or more).
    expect(pool.calls).toBeLessThanOrEqual(9)
  }, 60_000)

  it('a name only ever printed with its number bottom left: the corner looks skip the bottom right', async () => {
    const charmander = counting(ocr)
    await readCardText(await drawnCard({ number: false }), charmander, index)
    const sprigatito = counting(ocr)
    const read = await readCardText(await drawnCard({ number: false, name: 'Sprigatito' }), sprigatito, index)
    expect(read.read.name).toBe('Sprigatito')
    // Two looks at one corner, not at two.
    expect(sprigatito.calls).toBe(charmander.calls - 2)
  }, 60_000)

  it('a binder page card (onPage) is read one side up and says whether that side proved right', async () => {
    const card = await drawnCard()
    const upright = await readCardText(card, counting(ocr), index, { onPage: true })
    expect(upright).toMatchObject({ turned: false, settled: true })
    // Upside down, it stays as it lies (unproven): the page decides whether to turn it.
    const turned = await readCardText(rotate180(card), ocr, index, { onPage: true })
    expect(turned).toMatchObject({ turned: false, settled: false })
    expect(turned.read.number).toBeNull()
    // Read alone, it is turned.
    expect(await readCardText(rotate180(card), ocr, index)).toMatchObject({ turned: true, settled: true })
  }, 60_000)

  it('a binder page card whose first look at its number corners found nothing takes the second', async () => {
    let looks = 0
    const pool = counting()
    pool.recognize = async ({ psm }) => {
      if (psm === PSM.SPARSE_TEXT) looks++
      return { text: psm === PSM.SINGLE_LINE ? 'Charmander HP 70' : '', confidence: 90, words: [] }
    }
    await readCardText(await drawnCard(), pool, index, { onPage: true })
    // Both looks, each at the bottom-left corner and then the bottom-right one.
    expect(looks).toBe(4)
  }, 60_000)

  it('a binder page card reads the name band\'s second cut only when the first named no card', async () => {
    const card = await drawnCard()
    // A name row too weak to trust, a band that names the card at once.
    const bandCuts = async (onPage: boolean) => {
      let cuts = 0
      const pool = counting()
      pool.recognize = async ({ psm }) => {
        if (psm === PSM.SINGLE_BLOCK) cuts++
        return { text: psm === PSM.SINGLE_BLOCK ? 'Charmander HP 70' : psm === PSM.SINGLE_LINE ? 'Chrm' : '', confidence: 20, words: [] }
      }
      const read = await readCardText(card, pool, index, { onPage })
      expect(read.read.raw.name).toMatch(/Charmander/)
      return cuts
    }
    expect(await bandCuts(true)).toBe(1)
    expect(await bandCuts(false)).toBe(2)
  }, 60_000)

  it('the whole-photo pass reads at most maxLines lines and skips the cards already read', async () => {
    const card = await drawnCard()
    const pool = counting()
    await readPhotoNumbers(card, pool, index, { maxLines: 3 })
    expect(pool.calls).toBe(3)
    const skipped = counting()
    const whole = [[0, 0], [card.width, 0], [card.width, card.height], [0, card.height]] as [number, number][]
    await readPhotoNumbers(card, skipped, index, { maxLines: 3, exclude: [whole as never] })
    expect(skipped.calls).toBe(0)
  })

  it('a close-up pass ends a few lines after its number', async () => {
    const rows = Array.from({ length: 14 }, (_, i) => `<text x="40" y="${60 + i * 60}" font-family="DejaVu Sans" font-size="30" fill="#111">Line ${i} 00${i}</text>`).join('')
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="700" height="900"><rect width="100%" height="100%" fill="#eee"/>${rows}</svg>`
    const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    const photo = { rgb: data, width: info.width, height: info.height }
    const pool = counting()
    pool.recognize = async () => {
      pool.calls++
      return { text: pool.calls === 1 ? 'PAL EN 012/193' : 'nothing', confidence: 90, words: [] }
    }
    const { found } = await readPhotoNumbers(photo, pool, index, { maxLines: 14 })
    expect(found.map(f => f.number.number)).toEqual(['012'])
    // The number in the first batch of two, then four quiet lines.
    expect(pool.calls).toBe(6)
  })

  /** A one-line close-up (`D 005/189`) read by a pool that answers `first`, then `later`. */
  async function closeUp(first: string, later: string) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="700" height="400"><rect width="100%" height="100%" fill="#eee"/>
      <text x="60" y="200" font-family="DejaVu Sans" font-size="40" fill="#111">D 005/189</text></svg>`
    const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    const pool = counting()
    pool.recognize = async () => ({ text: ++pool.calls === 1 ? first : later, confidence: 80, words: [] })
    const { found } = await readPhotoNumbers({ rgb: data, width: info.width, height: info.height }, pool, index)
    return { read: found.map(f => `${f.number.number}/${f.number.printedTotal}`), calls: pool.calls }
  }

  it('a close-up that gave no number reads its number-shaped lines again', async () => {
    // Faint digits: the plain read gives letters, the local-contrast one the number.
    expect(await closeUp('Da) poses', 'D 005/189')).toEqual({ read: ['005/189'], calls: 2 })
  })

  it('a close-up number whose total lost its end is read again with room on its right', async () => {
    expect((await closeUp('fa) 005/16', 'fa) 005/189')).read).toEqual(['005/189'])
  })

  it('a close-up keeps the illustrator printed above its number and the copyright year below it (real OCR)', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="400"><rect width="100%" height="100%" fill="#f0ead8"/>
      <text x="60" y="170" font-family="DejaVu Sans" font-style="italic" font-size="34" fill="#222">Illus. Kouki Saitou</text>
      <text x="60" y="240" font-family="DejaVu Sans" font-weight="bold" font-size="44" fill="#111">69/100</text>
      <text x="300" y="330" font-family="DejaVu Sans" font-size="24" fill="#333">©2016 Pokémon / Nintendo</text></svg>`
    const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    const { found } = await readPhotoNumbers({ rgb: data, width: info.width, height: info.height }, ocr, index)
    expect(found.map(f => f.number.number)).toEqual(['69'])
    expect(found[0]!.illustrator).toBe('Kouki Saitou')
    expect(found[0]!.copyrightYear).toBe(2016)
  }, 60_000)

  it('a close-up number in a thin face keeps the digits the line finder left out (real OCR)', async () => {
    // Large thin `1`s stand apart: the line found is `1/086`, the row printed `111/086`.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900"><rect width="100%" height="100%" fill="#5fa8e8"/>
      <text x="80" y="300" font-family="URW Gothic" font-size="34" fill="#111">Illus. rika</text>
      <rect x="80" y="350" width="26" height="44" fill="#111"/><rect x="120" y="350" width="110" height="44" rx="6" fill="#111"/>
      <text x="130" y="384" font-family="DejaVu Sans" font-weight="bold" font-size="30" fill="#fff">BLK</text>
      <text x="250" y="390" font-family="URW Gothic" font-size="52" letter-spacing="2" fill="#222">111/086</text></svg>`
    const { data, info } = await sharp(Buffer.from(svg)).blur(1).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    const { found } = await readPhotoNumbers({ rgb: data, width: info.width, height: info.height }, ocr, index)
    expect(found.map(f => `${f.number.number}/${f.number.printedTotal}`)).toEqual(['111/86'])
  }, 60_000)

  it('the whole-photo pass reads as many lines on a loaded machine as on an idle one', async () => {
    const card = await drawnCard()
    const fast = counting()
    await readPhotoNumbers(card, fast, index, { maxLines: 6 })
    const slow = counting()
    const inner = slow.recognize
    slow.recognize = async (job) => {
      await new Promise(r => setTimeout(r, 400))
      return inner(job)
    }
    await readPhotoNumbers(card, slow, index, { maxLines: 6 })
    expect(fast.calls).toBeGreaterThan(2)
    expect(slow.calls).toBe(fast.calls)
  })
})

describe('set-code box', () => {
  it('is read only when printings share number and total and some print a code', () => {
    expect(codesToSettle(parseCardNumbers('196/198', index.totals), index)).toContain('SVI')
    // 007/091: only Paldean Fates prints it; nothing to settle.
    expect(codesToSettle(parseCardNumbers('007/091', index.totals), index)).toEqual([])
  })

  it('matches a damaged read against the expected codes only', () => {
    expect(matchCode('JOVI', ['SVI'])).toBe('SVI')
    expect(matchCode('G PAL EN', ['PAL', 'SVI'])).toBe('PAL')
    expect(matchCode('GAMES', ['SVI'])).toBeNull()
    // Two codes one letter away: no guess.
    expect(matchCode('PAR', ['PAL', 'PAF'])).toBeNull()
  })
})

describe('darkGround', () => {
  it('tells white print on a dark banner from dark print on a light card', async () => {
    const draw = async (ground: string, ink: string): Promise<RgbImage> => {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60"><rect width="100%" height="100%" fill="${ground}"/>
        <text x="10" y="45" font-family="DejaVu Sans" font-weight="bold" font-size="40" fill="${ink}">Scizor V 210</text></svg>`
      const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true })
      return { rgb: data, width: info.width, height: info.height }
    }
    const dark = await draw('#222', '#eee')
    const light = await draw('#e8e0c8', '#111')
    expect(darkGround(dark, 0, 0, dark.width, dark.height)).toBe(true)
    expect(darkGround(light, 0, 0, light.width, light.height)).toBe(false)
  })
})

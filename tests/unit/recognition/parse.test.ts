import { describe, expect, it } from 'vitest'
import { latinText, numberKey, paddedAlike, parseCard, parseCardNumber, parseCardNumbers, parseCopyrightYear, parseHp, parseIllustrator, parsePhoto, parseRarityMark, parseSetCode, rowNumbers, textRows } from '../../../server/recognition/parse'
import type { TextLine } from '../../../server/recognition/reader'

const shown = (text: string, totals?: Set<number>) =>
  parseCardNumbers(text, totals).map(n => `${n.number}/${n.totalPrefix}${n.printedTotal ?? ''}${n.loose ? '~' : ''}`)

describe('parseCardNumber', () => {
  it('reads every shape the catalogue prints', () => {
    expect(parseCardNumber('PAL EN 012/193')).toMatchObject({ number: '012', value: 12, printedTotal: 193, prefix: '' })
    expect(parseCardNumber('58/102')).toMatchObject({ number: '58', printedTotal: 102 })
    expect(parseCardNumber('TG05/TG30')).toMatchObject({ number: 'TG05', prefix: 'TG', value: 5, printedTotal: 30, totalPrefix: 'TG' })
    expect(parseCardNumber('GG12/GG70')).toMatchObject({ number: 'GG12', prefix: 'GG', printedTotal: 70 })
    expect(parseCardNumber('SV049')).toMatchObject({ number: 'SV049', prefix: 'SV', value: 49, printedTotal: null })
    expect(parseCardNumber('SWSH050')).toMatchObject({ number: 'SWSH050', prefix: 'SWSH', value: 50 })
    expect(parseCardNumber('XY123')).toMatchObject({ number: 'XY123', value: 123 })
    expect(parseCardNumber('BW92')).toMatchObject({ number: 'BW92', value: 92 })
    // Scarlet & Violet basic energies: the set code and a number, no total.
    expect(parseCardNumber('SVE EN 007')).toMatchObject({ number: '007', value: 7, printedTotal: null, prefix: '' })
    expect(parseCardNumber('PAL EN 012/193')).toMatchObject({ number: '012', printedTotal: 193 })
    expect(shown('PAL EN 012 193', new Set([193]))).toEqual(['012/193~'])
  })

  it('repairs OCR confusions in digit positions only', () => {
    expect(parseCardNumber('PAL EN O12/l93')).toMatchObject({ number: '012', printedTotal: 193 })
    expect(parseCardNumber('S8/1O2')).toMatchObject({ number: '58', printedTotal: 102 })
    expect(parseCardNumber('B5/IO2')).toMatchObject({ number: '85', printedTotal: 102 })
    // Prefix letters stay letters.
    expect(parseCardNumber('SWSHO5O')).toMatchObject({ number: 'SWSH050', value: 50 })
  })

  it('does not take the copyright year for a number that lost its slash', () => {
    const totals = new Set([24, 17, 12, 193, 189])
    expect(shown('©2024 Pokémon / Nintendo / Creatures / GAME FREAK', totals)).toEqual([])
    expect(shown('©2017 Pokémon', totals)).toEqual([])
    expect(shown('2012 cu Nintendo', totals)).toEqual([])
    // A real glued number still parses.
    expect(shown('PAL EN 012193', totals)).toContain('12/193~')
  })

  it('ignores text that only looks like a number', () => {
    expect(parseCardNumber('Illus. Kagemaru Himeno')).toBeNull()
    expect(parseCardNumber('It swims gracefully along the sea floor')).toBeNull()
    expect(parseCardNumber('12/0')).toBeNull()
  })

  it('marks numbers padded unlike any card (upside-down digits, a digit lost) as repaired', () => {
    const totals = new Set([10, 91, 102, 193, 271])
    for (const printed of ['001/091', '089/091', '012/193', '8/102', '58/102']) expect(shown(printed, totals)).toEqual([printed.replace(/\/0*/, '/')])
    expect(shown('© [8/010 own)', totals)).toEqual(['8/10~'])
    expect(shown('01/271', totals)).toEqual(['01/271~'])
    expect(paddedAlike('8', '010')).toBe(false)
    expect(paddedAlike('O12', '193')).toBe(true)
  })

  it('repairs damaged readings against the printed totals the catalogue has', () => {
    const totals = new Set([189, 124, 147, 203, 196, 193])
    expect(shown('C® 104189 ++', totals)).toContain('104/189~')
    expect(shown('© 89124 +', totals)).toContain('89/124~')
    expect(shown('O114/1470e', totals)).toContain('114/147~')
    expect(shown('+ 0217203', totals)).toContain('217/203~')
    expect(shown('F1Q033/196 +', totals)).toContain('033/196~')
    // The slash read as a 7, a 1 or a 4.
    expect(shown('So 0667167108', new Set([167]))).toContain('066/167~')
    expect(shown('0121193', totals)).toContain('012/193~')
    expect(shown('208 4197', new Set([197]))).toContain('208/197~')
    expect(shown('2OS 4197', new Set([197]))).toContain('205/197~')
    expect(shown('Dis O66.l67 +', new Set([167]))).toEqual(['066/167~'])
    // An italic 1 read as a 7, where the number would run far past the total.
    expect(shown('(©) mea yy Pree 748/131 “se', new Set([131]))).toEqual(['148/131~'])
    expect(shown('Pree 148/131', new Set([131]))).toEqual(['148/131'])
    expect(shown('PAF EN 232/091', new Set([91]))).toEqual(['232/91'])
    // Or lost, or read as a mark.
    for (const read of ['066 167', 'Dis 066.167 +', '(WITLI 066,167 +.']) expect(shown(read, new Set([167]))).toEqual(['066/167~'])
    expect(shown('066 167', new Set([198]))).toEqual([])
    // Clean readings come first and are not marked.
    expect(shown('PAL EN 012/193 104189', totals)[0]).toBe('012/193')
    // Without the catalogue's totals, no guessing.
    expect(shown('C® 104189 ++')).toEqual([])
  })
})

describe('parseRarityMark', () => {
  it('reads the mark printed after the total as OCR renders it', () => {
    const read = ['Olio 010/167 @', 'Dis 045/167 ®', '(WITLI 075/167 +.', 'WE 145/151 *'].map(parseRarityMark)
    expect(read).toEqual(['common', 'common', 'uncommon', 'rare'])
    // Nothing after the total, or a mark away from any number, is no reading.
    for (const text of ['IT o96/167', 'resistance + 30', '012/193 x2', 'PAL EN 012/193']) expect(parseRarityMark(text)).toBeNull()
  })
})

describe('parseSetCode', () => {
  it('reads the code and the language tag', () => {
    expect(parseSetCode('H PAL EN 012/193')).toEqual({ code: 'PAL', lang: 'en' })
    expect(parseSetCode('G TEF FR 085/162')).toEqual({ code: 'TEF', lang: 'fr' })
    expect(parseSetCode('PALEN 012/193')).toEqual({ code: 'PAL', lang: 'en' })
  })

  it('accepts only codes the catalogue knows when told which', () => {
    const known = new Set(['PAL', 'OBF'])
    expect(parseSetCode('XYZ EN', known)).toBeNull()
    expect(parseSetCode('0BF EN 205/197', known)).toEqual({ code: 'OBF', lang: 'en' })
  })
})

describe('parseHp', () => {
  it('reads HP before or after the value, in English and French', () => {
    expect(parseHp('STAGE 1 Gyarados HP 150')).toEqual({ hp: 150, lang: 'en' })
    expect(parseHp('Colhomard 80 PV')).toEqual({ hp: 80, lang: 'fr' })
    expect(parseHp('Pikachu HP6O')).toEqual({ hp: 60, lang: 'en' })
    expect(parseHp('Gyarados PV 15O')).toEqual({ hp: 150, lang: 'fr' })
  })

  it('rejects impossible HP values', () => {
    expect(parseHp('HP 155')).toBeNull()
    expect(parseHp('HP 990')).toBeNull()
    expect(parseHp('no hit points here')).toBeNull()
  })
})

describe('numberKey', () => {
  it('makes 012 and 12 the same look-up, keeping prefixes', () => {
    expect(numberKey('012')).toBe('12')
    expect(numberKey('12')).toBe('12')
    expect(numberKey('TG05')).toBe('TG5')
    expect(numberKey('swsh050')).toBe('SWSH50')
    expect(numberKey('SV049')).toBe('SV49')
  })
})

describe('parseIllustrator', () => {
  it('reads the name after the label, however OCR spells the label', () => {
    expect(parseIllustrator('lllus. Kouki Saitou')).toBe('Kouki Saitou')
    expect(parseIllustrator('some line\nHus. GIDORA')).toBe('GIDORA')
    expect(parseIllustrator('Illus: Megumi Mizutani.')).toBe('Megumi Mizutani')
    expect(parseIllustrator('hs. Shin Nagasawa')).toBe('Shin Nagasawa')
    expect(parseIllustrator('lus. Yukihiro Tado')).toBe('Yukihiro Tado')
    expect(parseIllustrator('llus 5ban Graphics')).toBe('5ban Graphics')
  })

  it('finds nothing in flavour text or the label alone', () => {
    expect(parseIllustrator('It swims gracefully along the sea floor')).toBeNull()
    expect(parseIllustrator('Illus.')).toBeNull()
    expect(parseIllustrator('Illus. & Direc. The Pokémon Company Art Team')).toBeNull()
  })
})

describe('parseCopyrightYear', () => {
  it('reads the year of the copyright line, however OCR read the sign', () => {
    expect(parseCopyrightYear('©2020 Pokémon / Nintendo / Creatures GAME FREAK.')).toBe(2020)
    expect(parseCopyrightYear('Illus. 5ban Graphics\n142/149\n©2012 Pokémon / Nintendc')).toBe(2012)
    expect(parseCopyrightYear('162013 Pokémon')).toBe(2013)
    expect(parseCopyrightYear('©2009-2010 Pokémon / Nintendo')).toBe(2010)
    expect(parseCopyrightYear('©1999 Wizards')).toBe(1999)
    // A number is no year, a year without the rights holder may be anything.
    expect(parseCopyrightYear('PAL EN 2024/193')).toBeNull()
    expect(parseCopyrightYear('Since 2016 it sleeps')).toBeNull()
  })
})


describe('PP-OCR\'s glued outputs', () => {
  const known = { totals: new Set([197, 167, 189, 162, 193, 122]), setCodes: new Set(['OBF', 'TWM', 'PAL', 'TEF', 'SVE']) }
  const first = (text: string) => rowNumbers(latinText(text), known)[0]

  it('reads a number glued to its set code, language tag, regulation mark or an icon', () => {
    expect(first('G0BFN205/197食')).toMatchObject({ number: '205', printedTotal: 197 })
    expect(parseSetCode(latinText('G0BFN205/197食'), known.setCodes)).toEqual({ code: 'OBF', lang: null })
    expect(first('TWMEN010/167')).toMatchObject({ number: '010', printedTotal: 167 })
    expect(first('TWMEN010/167')!.loose).toBeFalsy()
    expect(parseSetCode('TWMEN010/167', known.setCodes)).toEqual({ code: 'TWM', lang: 'en' })
    expect(parseSetCode('HTWMEN122/167', known.setCodes)).toEqual({ code: 'TWM', lang: 'en' })
    expect(parseSetCode('H TWMIN 096/167', known.setCodes)).toEqual({ code: 'TWM', lang: null })
    expect(first('Q183/189')).toMatchObject({ number: '183', printedTotal: 189 })
  })

  it('repairs a total padded by the rarity mark and a slash read as a digit', () => {
    expect(first('59/6189')).toMatchObject({ number: '59', printedTotal: 189, loose: true })
    expect(first('HTWMN0451167')).toMatchObject({ number: '045', printedTotal: 167, loose: true })
    expect(first('GPALIW 012/1930')).toMatchObject({ number: '012', printedTotal: 193 })
  })

  it('drops non-Latin runs, which split what they glued', () => {
    expect(latinText('中118/189')).toBe('118/189')
    expect(latinText('Sprigatito水HP60')).toBe('Sprigatito HP60')
    expect(latinText('Dracaufeu PV 180 ★')).toBe('Dracaufeu PV 180 ★')
  })

  it('takes no number repaired out of prose or a copyright year', () => {
    expect(rowNumbers('aoinbeingdroppedneatle1100yardn', known)).toEqual([])
    expect(rowNumbers('O2024 Pokemon /Nintendo / Creatures', { ...known, totals: new Set([24]) })).toEqual([])
  })
})

describe('textRows', () => {
  const line = (text: string, x0: number, y0: number, x1: number, y1: number, angle = 0): TextLine =>
    ({ text, score: 0.9, box: [[x0, y0], [x1, y0], [x1, y1], [x0, y1]], angle, height: y1 - y0 })

  it('joins the lines of one baseline left to right, and leaves sideways lines out', () => {
    const rows = textRows([line('010/167', 200, 500, 320, 520), line('H TWMEN', 100, 498, 190, 522), line('Glide', 100, 100, 200, 140), line('noise', 0, 0, 10, 300, 90)])
    expect(rows.map(r => r.text)).toEqual(['Glide', 'H TWMEN 010/167'])
  })
})

describe('parseCard', () => {
  const known = { totals: new Set([182, 193]), setCodes: new Set(['PAR', 'PAL']) }
  const line = (text: string, y: number, height = 20, x = 40): TextLine =>
    ({ text, score: 0.9, box: [[x, y], [x + 300, y], [x + 300, y + height], [x, y + height]], angle: 0, height })

  it('reads the name band at the top and the number rows at the bottom of an upright card', () => {
    const reading = parseCard([line('Sovkipou', 40, 40), line('PV70', 42, 30, 500), line('Attaque 30', 500), line('PAR FR 048/182', 960), line('Illus. Kouki Saitou', 930)], 720, 1006, known)
    expect(reading).toMatchObject({ setCode: 'PAR', lang: 'fr', hp: 70, illustrator: 'Kouki Saitou', numberSide: 'left' })
    expect(reading.numbers[0]).toMatchObject({ number: '048', printedTotal: 182 })
    expect(reading.names).toContain('Sovkipou')
  })

  it('tells the card\'s language from its printed words, and a Japanese print from a Latin one', () => {
    expect(parseCard([line('Sprigatito', 40, 40), line('Faiblesse x2 Retraite', 850)], 720, 1006, known).lang).toBe('fr')
    expect(parseCard([line('Sprigatito', 40, 40), line('weakness x2 retreat', 850)], 720, 1006, known).lang).toBe('en')
    const japanese = parseCard([line('ニャオハ', 40, 40), line('ワザ ポケモン', 500), line('012/078', 960)], 720, 1006, known)
    expect(japanese).toMatchObject({ lang: 'ja', foreign: true })
  })
})

describe('parsePhoto', () => {
  const known = { totals: new Set([167, 149]), setCodes: new Set(['TWM']) }
  const line = (text: string, y: number, x = 100, height = 30): TextLine =>
    ({ text, score: 0.9, box: [[x, y], [x + 200, y], [x + 200, y + height], [x, y + height]], angle: 0, height })

  it('makes one reading per number row of a stack, with the illustrator above and the copyright below each', () => {
    const readings = parsePhoto([
      line('Illus. Orca', 100), line('H TWMEN 010/167', 140), line('©2024 Pokemon', 180),
      line('Illus. AYUMI ODASHIMA', 300), line('HTWMEN143/167', 340),
    ], 1000, known)
    expect(readings.map(r => r.reading.numbers[0]?.number)).toEqual(['010', '143'])
    expect(readings[0]!.reading).toMatchObject({ setCode: 'TWM', illustrator: 'Orca', copyrightYear: 2024 })
    expect(readings[1]!.reading.illustrator).toBe('AYUMI ODASHIMA')
    expect(readings[0]!.at).toEqual([200, 155])
  })

  it('reads a close-up of one number as one card, its largest print above as the name', () => {
    const [one, ...rest] = parsePhoto([line('Lumineon', 50, 100, 60), line('Faiblesse x2', 300), line('142/149★', 400)], 1000, known)
    expect(rest).toEqual([])
    expect(one!.reading).toMatchObject({ lang: 'fr', rarity: 'rare' })
    expect(one!.reading.names).toContain('Lumineon')
  })
})

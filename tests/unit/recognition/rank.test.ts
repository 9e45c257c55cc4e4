import { resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { readCatalogFile } from '../../../server/catalog/source'
import { buildCatalogIndex, type CatalogIndex, catalogEntriesFromFile, searchNames, suffixless } from '../../../server/recognition/catalog-index'
import { parseCardNumbers } from '../../../server/recognition/parse'
import { fullArt, isConfident, nameLanguage, rankCandidates, rarityMark, withoutShadowedRuns } from '../../../server/recognition/rank'
import type { CardReading } from '../../../server/recognition/types'

const THRESHOLD = 0.82
let index: CatalogIndex

beforeAll(async () => {
  const file = await readCatalogFile(resolve(import.meta.dirname, '../../../data/tcgdex-catalog.json.gz'))
  index = buildCatalogIndex(catalogEntriesFromFile(file))
})

function reading(partial: Partial<CardReading> & { number?: string }): CardReading {
  return {
    names: partial.names ?? [],
    numbers: partial.numbers ?? (partial.number ? parseCardNumbers(partial.number, index.totals) : []),
    setCode: partial.setCode ?? null,
    hp: partial.hp ?? null,
    lang: partial.lang ?? null,
    illustrator: partial.illustrator ?? null,
    copyrightYear: partial.copyrightYear ?? null,
    numberSide: partial.numberSide ?? null,
    rarity: partial.rarity ?? null,
    layout: partial.layout ?? null,
  }
}

describe('catalogue index', () => {
  it('holds every card and finds names of every language', () => {
    expect(index.entries.length).toBeGreaterThan(20_000)
    expect(index.setCodes.has('PAL')).toBe(true)
    expect(index.totals.has(193)).toBe(true)
    expect(searchNames(index, 'dracaufeu')[0]).toMatchObject({ name: 'dracaufeu', similarity: 1 })
    expect(searchNames(index, 'sprigatlto')[0]!.name).toBe('sprigatito')
  })

  it('knows names without their mechanic suffix', () => {
    expect(suffixless('scizor ex')).toBe('scizor')
    expect(suffixless('cizayox vmax')).toBe('cizayox')
    expect(suffixless('dialga lv x')).toBe('dialga')
    expect(suffixless('scizor')).toBeNull()
    expect(suffixless('pokemon catcher')).toBeNull()
    expect(index.bySuffixless.get('scizor')!.map(e => e.id)).toContain('xy9-119')
  })
})

describe('rankCandidates', () => {
  it('narrows by number and printed total, confirmed by the name: confident', () => {
    const ranked = rankCandidates(index, reading({ number: 'PAL EN 012/193', names: ['Sprigatito'], setCode: 'PAL', hp: 60 }))
    expect(ranked[0]).toMatchObject({ cardId: 'sv02-012', name: 'Sprigatito', number: '012/193' })
    expect(ranked[0]!.score).toBeGreaterThanOrEqual(THRESHOLD)
    expect(ranked[0]!.reasons.join(' ')).toMatch(/number 012\/193/)
    expect(isConfident(ranked, THRESHOLD)).toBe(true)
    for (const c of ranked) expect(c.score).toBeGreaterThanOrEqual(0), expect(c.score).toBeLessThanOrEqual(1)
  })

  it('number + total pick the printing among many of the same name', () => {
    // Charizard exists in dozens of sets; 4/102 is Base Set.
    const ranked = rankCandidates(index, reading({ number: '4/102', names: ['Charizard'], hp: 120 }))
    expect(ranked[0]!.cardId).toBe('base1-4')
    expect(isConfident(ranked, THRESHOLD)).toBe(true)
  })

  it('matches French names (the catalogue has every language)', () => {
    const ranked = rankCandidates(index, reading({ number: '048/182', names: ['Sovkipou'], lang: 'fr', setCode: 'PAR' }))
    expect(ranked[0]).toMatchObject({ cardId: 'sv04-048', name: 'Sovkipou', setCode: 'PAR' })
    // Every language's name travels with the candidate, for a UI in another language than the card's.
    expect(ranked[0]!.names).toMatchObject({ en: 'Wimpod', fr: 'Sovkipou' })
    expect(isConfident(ranked, THRESHOLD)).toBe(true)
  })

  it('is never confident on the name alone: printings share names', () => {
    const ranked = rankCandidates(index, reading({ names: ['Scizor'], hp: 120 }))
    expect(ranked.length).toBeGreaterThan(1)
    expect(ranked.every(c => /Scizor/i.test(c.name))).toBe(true)
    expect(ranked[0]!.score).toBeLessThan(THRESHOLD)
    expect(isConfident(ranked, THRESHOLD)).toBe(false)
  })

  it('takes an HP that lost its leading 1 as half a mismatch', () => {
    // Hydreigon prints 150 (Black & White, XY), 160, 170, 180 HP: `50` keeps the 150 ones first.
    const ranked = rankCandidates(index, reading({ names: ['Hydreigon'], hp: 50 }), 7)
    expect(ranked.map(c => c.cardId)).toEqual(expect.arrayContaining(['bw3-79', 'bw4-103', 'bw6-97', 'bw6-98', 'bw9-78', 'bw11-99', 'xy11-86']))
  })

  it('a card the catalogue lacks (a Japanese print) is not confident', () => {
    // Japanese Sprigatito: katakana name reads as noise, 021/078 is a Japanese set's numbering.
    const ranked = rankCandidates(index, reading({ number: '021/078', names: ['ニャオハ', 'HP 60'], hp: 60 }))
    expect(isConfident(ranked, THRESHOLD)).toBe(false)
    const noise = rankCandidates(index, reading({ names: ['Xqzzv Wprrt'] }))
    expect(isConfident(noise, THRESHOLD)).toBe(false)
  })

  it('two printings the reading cannot tell apart are not confident', () => {
    // Only the number and total, no name: sets sharing a total of 149 hold a 142 each.
    const ranked = rankCandidates(index, reading({ number: '142/149' }))
    expect(ranked.length).toBeGreaterThan(1)
    expect(isConfident(ranked, THRESHOLD)).toBe(false)
  })

  it('the set-code box settles printings that share number and total: code and number together are sure', () => {
    // 196/198: Ultra Ball (SVI, 2023) and Peonia (CRE, 2021).
    const tied = rankCandidates(index, reading({ number: '196/198' }))
    expect(tied[0]!.score).toBe(tied[1]!.score)
    const ranked = rankCandidates(index, reading({ number: '196/198', setCode: 'SVI' }))
    expect(ranked[0]!.cardId).toBe('sv01-196')
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score)
    // Set code and number name one printing (the bar: number, total and code agree).
    expect(isConfident(ranked, THRESHOLD)).toBe(true)
    // A total misread with the code is no key: a suggestion only.
    expect(isConfident(rankCandidates(index, reading({ number: '196/197', setCode: 'SVI' })), THRESHOLD)).toBe(false)
    const named = rankCandidates(index, reading({ number: '196/198', setCode: 'SVI', names: ['Ultra Ball'] }))
    expect(named[0]!.cardId).toBe('sv01-196')
    expect(isConfident(named, THRESHOLD)).toBe(true)
  })

  it('a misread digit is caught by the name', () => {
    const ranked = rankCandidates(index, reading({ number: '013/193', names: ['Sprigatito'], hp: 60 }))
    expect(ranked.map(c => c.cardId).slice(0, 5)).toContain('sv02-012')
  })

  it('reads promo and gallery numbers', () => {
    expect(rankCandidates(index, reading({ number: 'BW92', names: ['Espeon'] }))[0]!.cardId).toBe('bwp-BW92')
    const gg = rankCandidates(index, reading({ number: 'GG10/GG70', names: ['Mew'] }))
    expect(gg[0]!.cardId).toBe('swsh12.5gg-GG10')
    // A basic energy of Scarlet & Violet: the set code and a number without total, even unnamed.
    expect(rankCandidates(index, reading({ number: 'SVE EN 007', setCode: 'SVE' }))[0]!.cardId).toBe('sve-007')
    expect(rankCandidates(index, reading({ number: 'SVE EN 007', setCode: 'SVE', names: ['Darkness Energy'] }))[0]!.cardId).toBe('sve-007')
  })

  it('a longer run that names a card shadows the runs inside it', () => {
    const at = (q: string, name: string, similarity: number) => ({ q, matches: [{ name, similarity }] })
    expect(withoutShadowedRuns([at('steelix ex', 'steelix ex', 1), at('steelix', 'steelix', 1), at('ex', 'exeggcute', 0.5)])).toEqual(['steelix ex'])
    expect(withoutShadowedRuns([at('stoelix ex', 'steelix ex', 0.8), at('steelix', 'steelix', 1)])).toEqual(['stoelix ex', 'steelix'])
    expect(withoutShadowedRuns([at('a charmander', 'charmander', 0.91), at('charmander', 'charmander', 1)])).toEqual(['a charmander', 'charmander'])
    const read = (names: string[]): CardReading => ({ names, numbers: [], setCode: null, hp: 180, lang: null })
    const top = rankCandidates(index, read(['Steelix EX', 'Steelix', 'EX']), 5)
    const ex = top.map(c => /steelix.?ex/i.test(c.name))
    // Every Steelix EX printing first, the plain Steelix (also 180 HP) after them.
    expect(ex, JSON.stringify(top.map(c => c.name))).toEqual([...ex].sort((a, b) => Number(b) - Number(a)))
    expect(ex[0]).toBe(true)
  })

  it('the illustrator tells apart printings that share number and total', () => {
    // 69/100: Natu (EX Sandstorm, Kouki Saitou) and Whismur (EX Crystal Guardians, Atsuko Nishida).
    const both = rankCandidates(index, reading({ number: '69/100' }), 5).map(c => c.cardId)
    expect(both).toEqual(expect.arrayContaining(['ex2-69', 'ex14-69']))
    for (const [illustrator, id] of [['Kouki Saitou', 'ex2-69'], ['Atsuko Nishida', 'ex14-69'], ['Kouki Saltou', 'ex2-69']] as const) {
      const top = rankCandidates(index, reading({ number: '69/100', illustrator }), 5)
      expect(top[0]!.cardId).toBe(id)
      expect(top[0]!.reasons).toContain(`illustrator ${illustrator === 'Kouki Saltou' ? 'Kouki Saitou' : illustrator}`)
    }
  })

  it('the rarity mark settles two readings of one row, the first kept on a tie', () => {
    // `075/167 +` then, lifted, `79/167 +`: the diamond is Clefable's (079, uncommon), not Wattrel's (075, common).
    const numbers = [...parseCardNumbers('075/167', index.totals), ...parseCardNumbers('79/167', index.totals).map(n => ({ ...n, loose: true }))]
    const top = rankCandidates(index, reading({ numbers, rarity: 'uncommon' }), 5)
    expect(top.slice(0, 2).map(c => c.cardId)).toEqual(['sv06-079', 'sv06-075'])
    expect(top[0]!.reasons).toContain('rarity Uncommon')
    expect(rankCandidates(index, reading({ numbers }), 5)[0]!.cardId).toBe('sv06-075')
    expect(rankCandidates(index, reading({ numbers, rarity: 'common' }), 5)[0]!.cardId).toBe('sv06-075')
    expect(isConfident(top, THRESHOLD)).toBe(false)
  })

  it('maps catalogue rarities to the mark printed after the number', () => {
    expect(['Common', 'Uncommon', 'Rare', 'Double rare', 'Special illustration rare', 'Promo', 'None', null].map(rarityMark))
      .toEqual(['common', 'uncommon', 'rare', 'rare', 'rare', null, null, null])
  })

  it('a digit read as a letter keeps the printed width: 05/113 is one digit off 65/113', () => {
    const top = rankCandidates(index, reading({ number: 'Os/113', names: ['Swoobat'], hp: 80 }), 5)
    expect(top[0]!.cardId).toBe('bw11-65')
  })

  it('a misread digit of the total (090/168 for 090/165) is caught by the name', () => {
    const top = rankCandidates(index, reading({ number: '090/168', names: ['Shellder'], hp: 70 }), 5)
    expect(top[0]!.cardId).toBe('sv03.5-090')
    expect(isConfident(top, THRESHOLD)).toBe(false)
  })

  it('a lost first digit (08/131 for 108/131) is caught by the name', () => {
    const top = rankCandidates(index, reading({ number: '08/131', names: ['Lieu de la Fête'] }), 5)
    expect(top[0]!.cardId).toBe('sv08.5-108')
    // Two lost (`O1:4/147` for 114/147): the name outweighs the card numbered 4 of the set.
    const two = rankCandidates(index, reading({ number: '4/147', names: ['Escape Rope'] }), 5)
    expect(two[0]).toMatchObject({ cardId: 'sm3-114', reasons: expect.arrayContaining(['number 4/147 ≈ 114']) })
  })

  it('a set symbol read as a 1 before an unpadded number (110/168 for 10/168): second after the exact one, never sure', () => {
    const top = rankCandidates(index, reading({ number: '110/168' }), 5)
    expect(top[0]!.cardId).toBe('sm7-110')
    expect(top[1]).toMatchObject({ cardId: 'sm7-10', reasons: ['number 110/168 ≈ 10 (set symbol read as 1)'] })
    // With what the close-up also shows (illustrator, year), no other set's 198 passes it.
    const bkt = rankCandidates(index, reading({ number: '198/162', illustrator: 'Yuka Morii', copyrightYear: 2015 }), 5)
    expect(bkt[1]!.cardId).toBe('xy8-98')
    // Numbers printed padded (2020 on) or on the right (before 2011) have no symbol there.
    expect(rankCandidates(index, reading({ number: '15/102' }), 5).some(c => c.reasons.some(r => r.includes('symbol')))).toBe(false)
    expect(isConfident(top, THRESHOLD)).toBe(false)
  })

  it('a name with no number: the border\'s colour orders the tied printings by era, the scores stay as they were', () => {
    const plain = rankCandidates(index, reading({ names: ['Hydreigon'] }), 20)
    const yellow = rankCandidates(index, { ...reading({ names: ['Hydreigon'] }), border: 'yellow' }, 20)
    const silver = rankCandidates(index, { ...reading({ names: ['Hydreigon'] }), border: 'silver' }, 20)
    const era = (id: string) => index.byId.get(id)!.releaseDate! >= '2023-03'
    expect(era(plain[0]!.cardId)).toBe(true)
    expect(yellow.slice(0, 5).every(c => !era(c.cardId))).toBe(true)
    expect(era(silver[0]!.cardId)).toBe(true)
    expect(yellow.map(c => c.score)).toEqual(plain.map(c => c.score))
  })

  it('a digit off in both number and total (133/109 for 193/189) is caught by the name, never sure', () => {
    // Both of the Scizor printings a digit off in each, ahead of the other Scizors.
    const top = rankCandidates(index, reading({ number: '133/109', names: ['Scizor'] }), 5)
    expect(top.slice(0, 2).map(c => c.cardId).sort()).toEqual(['swsh3-183', 'swsh3-193'])
    // The HP of the VMAX tells them apart.
    const withHp = rankCandidates(index, reading({ number: '133/109', names: ['Scizor'], hp: 320 }), 5)
    expect(withHp[0]).toMatchObject({ cardId: 'swsh3-193', reasons: expect.arrayContaining(['number 133/109 ≈ 193/189']) })
    expect(isConfident(withHp, THRESHOLD)).toBe(false)
  })

  it('a number repaired two ways is never sure, even when one way matches name and number', () => {
    // `92/1100`: the rarity mark glued to the total, 92/110 or 92/100. Root Fossil is ex2-92 (92/100)
    // and ex13-93 (93/110): one of them is surely misread.
    const top = rankCandidates(index, reading({ number: '92/1100', names: ['Root Fossil'] }), 5)
    expect(top[0]!.cardId).toBe('ex2-92')
    expect(isConfident(top, THRESHOLD)).toBe(false)
    // Repaired one way only (a junk letter glued to the number), it may be.
    expect(isConfident(rankCandidates(index, reading({ number: 'O023/185', names: ['Charmander'], hp: 70 }), 5), THRESHOLD)).toBe(true)
  })

  it('a subset number printed with its own total (H03/H32) names its printing', () => {
    // Aquapolis prints its holo subset `H03/H32`: the catalogue knows the set's total (147), not the subset's.
    const ranked = rankCandidates(index, reading({ number: 'H03/H32', names: ['Migalos'], hp: 70 }), 5)
    expect(ranked[0]).toMatchObject({ cardId: 'ecard2-H03', reasons: expect.arrayContaining(['number H03/H32']) })
    expect(isConfident(ranked, THRESHOLD)).toBe(true)
  })

  it('a one-digit total one off another tells nothing: a name read outweighs it', () => {
    // Kirlia (HP 70) read `Kirtia`, with noise read `7/4`: no printing's 7/9 or 7/0 is meant.
    const ranked = rankCandidates(index, reading({ names: ['Kirtia'], hp: 70, number: '7/4' }), 5)
    expect(ranked[0]!.name).toBe('Kirlia')
  })

  it('a number repaired out of noise does not outvote a clean name of another card', () => {
    // Scizor's `205/197` behind a sleeve read `208 4197`: repaired, that is Scyther's 4/197.
    const ranked = rankCandidates(index, reading({ names: ['Scizor'], number: '208 4197' }), 5)
    expect(ranked[0]!.name).toBe('Scizor')
    expect(ranked.map(c => c.cardId)).toContain('sv03-205')
    // A name read with a slip (`Scizorr`, 92 %) is clean enough.
    expect(rankCandidates(index, reading({ names: ['Scizorr'], number: '208 4197' }), 5)[0]!.name).toBe('Scizor')
    // Without a clean name the repair still counts.
    expect(rankCandidates(index, reading({ number: '208 4197' }), 5)[0]!.cardId).toBe('sv03-004')
  })

  it('a name read without its EX, GX or V logo still finds those printings, after the plain one', () => {
    const plain = rankCandidates(index, reading({ names: ['Charizard'] }), 300)
    expect(plain[0]!.name).toBe('Charizard')
    const vmax = plain.find(c => c.name === 'Charizard VMAX')
    expect(vmax).toBeDefined()
    expect(vmax!.score).toBeLessThan(plain[0]!.score)
    // HP 170 is Scizor-EX's (BREAKpoint): the logo lost, the HP tells.
    const ex = rankCandidates(index, reading({ names: ['Scizor'], hp: 170 }), 5)
    expect(ex.slice(0, 2).map(c => c.cardId).sort()).toEqual(['xy9-119', 'xy9-76'])
  })

  it('a number read bottom right prefers the legacy printing, then Black & White and XY ones', () => {
    // Lightning Energy 8/30 of the HeartGold SoulSilver trainer kit (2010) and of XY's (2016).
    const right = rankCandidates(index, reading({ names: ['Lightning Energy'], number: '8/30', numberSide: 'right' }), 5)
    expect(right[0]!.cardId).toBe('tk-hs-r-8')
    expect(right[1]!.cardId).toBe('tk-xy-p-8')
    expect(right[1]!.score).toBeGreaterThan(right[2]!.score)
  })

  it('the copyright year settles sets that share number and total, but never makes one sure', () => {
    // 197/189: Rillaboom of Darkness Ablaze (2020), Hisuian Samurott VSTAR of Astral Radiance (2022).
    const of2020 = rankCandidates(index, reading({ number: '197/189', copyrightYear: 2020 }), 5)
    expect(of2020[0]!.cardId).toBe('swsh3-197')
    expect(of2020[0]!.reasons).toContain('© 2020')
    expect(isConfident(of2020, THRESHOLD)).toBe(false)
    expect(rankCandidates(index, reading({ number: '197/189', copyrightYear: 2022 }), 5)[0]!.cardId).toBe('swsh10-197')
    // 22/30 of fourteen trainer-kit halves: those of 2014 before those of early 2015 (©2014 too).
    const kits = rankCandidates(index, reading({ number: '22/30', copyrightYear: 2014 }), 6)
    expect(kits.slice(0, 4).map(c => c.cardId).sort()).toEqual(['tk-xy-b-22', 'tk-xy-n-22', 'tk-xy-sy-22', 'tk-xy-w-22'])
    expect(kits[3]!.score).toBeGreaterThan(kits[4]!.score)
  })

  it('a digit too many, with the name and total, is caught by the name', () => {
    // Ivysaur of Shining Legends prints `2/73`; PP-OCR read `29/73` (the set symbol's tail as a 9).
    const ranked = rankCandidates(index, reading({ number: '29/73', names: ['lvysaur'], hp: 100 }))
    expect(ranked[0]!.cardId).toBe('sm3.5-2')
    expect(isConfident(ranked, THRESHOLD)).toBe(false)
  })

  it('a full-art layout puts a name\'s full-art printings first among ties, a plain one its plain printings', () => {
    const plain = rankCandidates(index, reading({ names: ['Zekrom'], hp: 130, layout: 'plain' }), 10)
    const art = rankCandidates(index, reading({ names: ['Zekrom'], hp: 130, layout: 'full-art' }), 10)
    expect(fullArt(index.byId.get(art[0]!.cardId)!)).toBe(true)
    expect(art[0]!.reasons).toContain('full art')
    expect(fullArt(index.byId.get(plain[0]!.cardId)!)).toBe(false)
    expect(isConfident(art, THRESHOLD)).toBe(false)
  })

  it('names the language of the name read (English where several print it alike)', () => {
    expect(nameLanguage(index, index.byId.get('sv04-048')!, ['Sovkipou'])).toBe('fr')
    expect(nameLanguage(index, index.byId.get('sv04-048')!, ['Reißlaus'])).toBe('de')
    expect(nameLanguage(index, index.byId.get('sv04-048')!, ['Wimpod'])).toBe('en')
    expect(nameLanguage(index, index.byId.get('sv04-048')!, ['Charizard'])).toBeNull()
  })

  it('returns nothing rather than noise when nothing was read', () => {
    expect(rankCandidates(index, reading({}))).toEqual([])
  })
})

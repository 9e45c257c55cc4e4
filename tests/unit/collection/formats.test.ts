import { describe, expect, it } from 'vitest'
import { currencyOfPrice, detectFormat, LineProblem, parseCurrency, mapCondition, mapConditionWithPrinting, mapFinish, mapLanguage, mapRow, parseDate, parsePrice, parseQuantity, plainName } from '../../../server/collection/csv/formats'
import { CsvImportError, mapCsv, parseCsvText } from '../../../server/collection/csv/import'

const DRAGON_SHIELD = 'Folder Name,Quantity,Trade Quantity,Card Name,Set Code,Set Name,Card Number,Condition,Printing,Language,Price Bought,Date Bought,LOW,MID,MARKET'
const MANABOX = 'Binder Name,Binder Type,Name,Set code,Set name,Collector number,Foil,Rarity,Quantity,ManaBox ID,Scryfall ID,Purchase price,Misprint,Altered,Condition,Language,Purchase price currency'
const TCGPLAYER = 'Quantity,Name,Simple Name,Set,Card Number,Set Code,Printing,Condition,Language,Rarity,Product ID,SKU'
const TCGPLAYER_SELLER = 'TCGplayer Id,Product Line,Set Name,Product Name,Title,Number,Rarity,Condition,TCG Market Price,TCG Direct Low,TCG Low Price With Shipping,TCG Low Price,Total Quantity,Add to Quantity,TCG Marketplace Price,Photo URL'
const OURS = 'card_id,set_id,set_code,set_name,local_id,name,quantity,condition,language,finish,grader,grade,cert_number,location,notes,price_paid,acquired_at'

describe('format detection by headers', () => {
  it('recognises each app whatever the column order or case', () => {
    expect(detectFormat(OURS.split(','))).toBe('pokeventory')
    expect(detectFormat(DRAGON_SHIELD.split(','))).toBe('dragonshield')
    expect(detectFormat(MANABOX.split(','))).toBe('manabox')
    expect(detectFormat(MANABOX.split(',').slice(2))).toBe('manabox') // older export without binder columns
    expect(detectFormat(TCGPLAYER.split(','))).toBe('tcgplayer')
    expect(detectFormat(TCGPLAYER_SELLER.split(','))).toBe('tcgplayer-seller')
    expect(detectFormat(DRAGON_SHIELD.toUpperCase().split(',').reverse())).toBe('dragonshield')
    expect(detectFormat(['\uFEFFcard_id', ' Quantity '])).toBe('pokeventory')
  })

  it('recognises nothing in unrelated headers', () => {
    expect(detectFormat(['a', 'b'])).toBeUndefined()
    expect(detectFormat(['Name', 'Quantity'])).toBeUndefined()
  })
})

describe('value mapping', () => {
  it('maps conditions of every app onto NM/LP/MP/HP/DMG', () => {
    for (const v of ['Near Mint', 'NM', 'Mint', 'NearMint', 'near_mint', '']) expect(mapCondition(v)).toBe('NM')
    for (const v of ['Lightly Played', 'LightPlayed', 'Excellent', 'EX', 'light_played', 'LP']) expect(mapCondition(v)).toBe('LP')
    for (const v of ['Moderately Played', 'Good', 'Played', 'MP']) expect(mapCondition(v)).toBe('MP')
    for (const v of ['Heavily Played', 'HP']) expect(mapCondition(v)).toBe('HP')
    for (const v of ['Damaged', 'Poor', 'DMG']) expect(mapCondition(v)).toBe('DMG')
    expect(() => mapCondition('Shiny')).toThrow(LineProblem)
  })

  it('maps printings onto finishes', () => {
    for (const v of ['Normal', 'normal', 'Unlimited', 'Non-Foil']) expect(mapFinish(v)).toBe('normal')
    expect(mapFinish('')).toBeUndefined() // the card's own plain printing
    for (const v of ['Foil', 'Holofoil', 'holo', 'Unlimited Holofoil', 'foil']) expect(mapFinish(v)).toBe('holo')
    for (const v of ['Reverse Holofoil', 'Reverse Holo', 'reverse']) expect(mapFinish(v)).toBe('reverse')
    for (const v of ['1st Edition', '1st Edition Holofoil', 'first-edition']) expect(mapFinish(v)).toBe('first-edition')
    expect(mapFinish('Stamped')).toBe('stamped')
    expect(() => mapFinish('Gold plated')).toThrow(/Unknown printing/)
  })

  it('splits TCGplayer seller conditions into condition and printing', () => {
    expect(mapConditionWithPrinting('Near Mint')).toEqual({ condition: 'NM', finish: 'normal' })
    expect(mapConditionWithPrinting('Near Mint Holofoil')).toEqual({ condition: 'NM', finish: 'holo' })
    expect(mapConditionWithPrinting('Lightly Played Reverse Holofoil')).toEqual({ condition: 'LP', finish: 'reverse' })
    expect(mapConditionWithPrinting('Moderately Played 1st Edition Holofoil')).toEqual({ condition: 'MP', finish: 'first-edition' })
    expect(mapConditionWithPrinting('Damaged Foil')).toEqual({ condition: 'DMG', finish: 'holo' })
  })

  it('maps language names and codes', () => {
    expect(mapLanguage('English')).toBe('en')
    expect(mapLanguage('')).toBe('en')
    expect(mapLanguage('French')).toBe('fr')
    expect(mapLanguage('Français')).toBe('fr')
    expect(mapLanguage('FR')).toBe('fr')
    expect(mapLanguage('Deutsch')).toBe('de')
    expect(mapLanguage('Japanese')).toBe('ja')
    expect(mapLanguage('Chinese (Traditional)')).toBe('zh')
    expect(mapLanguage('zhs')).toBe('zh')
    expect(() => mapLanguage('Klingon')).toThrow(/Unknown language/)
  })

  it('parses quantities, prices and dates strictly', () => {
    expect(parseQuantity('3')).toBe(3)
    expect(parseQuantity('0')).toBe(0)
    for (const bad of ['', '-1', '2.5', 'two']) expect(() => parseQuantity(bad)).toThrow(LineProblem)
    expect(parsePrice('')).toBeNull()
    expect(parsePrice('$1.50')).toBe(1.5)
    expect(parsePrice('1,50 €')).toBe(1.5)
    expect(parsePrice('1,234.50')).toBe(1234.5)
    expect(() => parsePrice('-2')).toThrow(LineProblem)
    expect(() => parsePrice('free')).toThrow(LineProblem)
    expect(parseDate('2024-03-01')).toBe('2024-03-01')
    expect(parseDate('2024-03-01T10:00:00Z')).toBe('2024-03-01')
    expect(parseDate('01.03.2024')).toBe('2024-03-01')
    expect(parseDate('3/1/2024')).toBe('2024-03-01')
    expect(parseDate('')).toBeNull()
    expect(() => parseDate('2024-02-30')).toThrow(/Invalid date/)
    expect(() => parseDate('yesterday')).toThrow(/Unrecognised date/)
  })

  it('takes TCGplayer decorations off names', () => {
    expect(plainName('Charizard - 4/102')).toBe('Charizard')
    expect(plainName('Sprigatito - 012/193')).toBe('Sprigatito')
    expect(plainName('Pikachu (Secret)')).toBe('Pikachu')
    expect(plainName('Iono\'s Voltorb')).toBe('Iono\'s Voltorb')
  })
})

const record = (header: string, line: string) => parseCsvText(`${header}\n${line}\n`).records[0]!.record

describe('row mapping per app', () => {
  it('Dragon Shield: folder → location, printing → finish, price and date', () => {
    const line = mapRow('dragonshield', record(DRAGON_SHIELD, 'Binder A,2,0,Sprigatito,PAL,Paldea Evolved,012,LightPlayed,Normal,French,0.25,2024-05-01,0.1,0.2,0.3'))
    expect(line).toMatchObject({
      ref: { setCode: 'PAL', setName: 'Paldea Evolved', number: '012', name: 'Sprigatito' },
      quantity: 2, condition: 'LP', finish: 'normal', language: 'fr', location: 'Binder A', pricePaid: 0.25, acquiredAt: '2024-05-01',
    })
  })

  it('ManaBox: binder, foil flag, snake_case condition, price', () => {
    const line = mapRow('manabox', record(MANABOX, 'Trade binder,binder,Charizard,base1,Base Set,4,foil,rare,1,123,,399.99,false,false,near_mint,en,EUR'))
    expect(line).toMatchObject({ ref: { setCode: 'base1', number: '4', name: 'Charizard' }, quantity: 1, condition: 'NM', finish: 'holo', language: 'en', location: 'Trade binder', pricePaid: 399.99, pricePaidCurrency: 'EUR' })
  })

  it('reads purchase currencies from their column or the price\'s symbol, and grading where a sheet has it', () => {
    expect(parseCurrency('usd')).toBe('USD')
    expect(parseCurrency('€')).toBe('EUR')
    expect(parseCurrency('')).toBeNull()
    expect(() => parseCurrency('doubloons')).toThrow(/Unknown currency/)
    expect(currencyOfPrice('$1.50')).toBe('USD')
    expect(currencyOfPrice('1,50 €')).toBe('EUR')
    expect(currencyOfPrice('CAD 3')).toBe('CAD')
    expect(currencyOfPrice('2.00')).toBeNull()
    const ds = mapRow('dragonshield', record(`${DRAGON_SHIELD},Grading Company,Grade,Cert Number`, 'Slabs,1,0,Charizard,BS,Base Set,4,Near Mint,Holo,English,£250,2024-01-02,,,,PSA,9,12345678'))
    expect(ds).toMatchObject({ pricePaid: 250, pricePaidCurrency: 'GBP', grader: 'PSA', grade: '9', certNumber: '12345678' })
  })

  it('TCGplayer app: prefers the simple name, printing → finish', () => {
    const line = mapRow('tcgplayer', record(TCGPLAYER, '3,Sprigatito - 012/193,Sprigatito,SV02: Paldea Evolved,012/193,PAL,Reverse Holofoil,Near Mint,English,Common,12345,67890'))
    expect(line).toMatchObject({ ref: { setCode: 'PAL', setName: 'SV02: Paldea Evolved', number: '012/193', name: 'Sprigatito' }, quantity: 3, condition: 'NM', finish: 'reverse', language: 'en' })
  })

  it('TCGplayer seller: total quantity, printing inside the condition, other games refused', () => {
    const line = mapRow('tcgplayer-seller', record(TCGPLAYER_SELLER, '4780851,Pokemon,Base Set,Charizard,,4/102,Holo Rare,Lightly Played Holofoil,300,,,,2,0,310,'))
    expect(line).toMatchObject({ ref: { setName: 'Base Set', number: '4/102', name: 'Charizard' }, quantity: 2, condition: 'LP', finish: 'holo' })
    expect(() => mapRow('tcgplayer-seller', record(TCGPLAYER_SELLER, '1,Magic,Alpha,Black Lotus,,232,R,Near Mint,1,,,,1,0,1,'))).toThrow(/Not a Pokémon card/)
  })

  it('our own format: removes the formula-injection apostrophe again', () => {
    const line = mapRow('pokeventory', record(OURS, 'sv02-012,sv02,PAL,Paldea Evolved,012,Sprigatito,1,NM,en,normal,,,,\'=box,\'+notes,,'))
    expect(line).toMatchObject({ ref: { cardId: 'sv02-012' }, location: '=box', notes: '+notes' })
  })
})

describe('CSV parsing', () => {
  it('skips Dragon Shield\'s sep= line and counts file lines, blank and multi-line records included', () => {
    const text = `sep=,\n${DRAGON_SHIELD}\nA,1,0,X,PAL,,1,NM,Normal,English,,,,,\n\nA,1,0,"Two\nlines",PAL,,2,NM,Normal,English,,,,,\nA,1,0,Z,PAL,,3,NM,Normal,English,,,,,\n`
    const { records } = parseCsvText(text)
    expect(records.map(r => r.line)).toEqual([3, 5, 7])
    expect(records[1]!.record['card name']).toBe('Two\nlines')
  })

  it('collects bad cells per line and refuses unknown or empty files', () => {
    const { format, lines, errors } = mapCsv(`${TCGPLAYER}\n1,A,A,Set,1,S,Normal,Near Mint,English,C,1,1\nx,B,B,Set,2,S,Normal,Near Mint,English,C,1,1\n1,C,C,Set,3,S,Normal,Mint-ish,English,C,1,1\n`)
    expect(format).toBe('tcgplayer')
    expect(lines).toHaveLength(1)
    expect(errors).toEqual([
      { line: 3, message: expect.stringMatching(/quantity/), code: 'invalidQuantity', params: { value: 'x' } },
      { line: 4, message: expect.stringMatching(/condition/), code: 'unknownCondition', params: { value: 'Mint-ish' } },
    ])
    expect(() => mapCsv('a,b\n1,2\n')).toThrow(CsvImportError)
    expect(() => mapCsv('   \n')).toThrow(/empty/)
  })
})

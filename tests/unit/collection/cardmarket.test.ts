import { describe, expect, it } from 'vitest'
import { detectFormat, LineProblem, mapCardmarketCondition, mapRow } from '../../../server/collection/csv/formats'
import { mapCsv, parseCsvText } from '../../../server/collection/csv/import'

// Cardmarket's stock export (the Pokémon one has isFirstEd and isReverseHolo), and its older semicolon one.
const STOCK = 'cardmarketId,quantity,name,set,setCode,cn,condition,language,isFoil,isPlayset,isSigned,isFirstEd,isReverseHolo,price,comment,location,nameDE,nameES,nameFR,nameIT,rarity,listedAt'
const LEGACY = 'idArticle;idProduct;English Name;Local Name;Exp.;Exp. Name;Price;Language;Condition;Foil?;Signed?;Playset?;Altered?;Comments;Amount;onSale;idCurrency;Currency Code'
const record = (header: string, line: string) => parseCsvText(`${header}\n${line}\n`).records[0]!.record

describe('Cardmarket exports', () => {
  it('are recognised by their headers, the older one with semicolons', () => {
    expect(detectFormat(STOCK.split(','))).toBe('cardmarket')
    expect(detectFormat(LEGACY.split(';'))).toBe('cardmarket')
    expect(mapCsv(`${LEGACY}\n1;2;Pikachu;Pikachu;MEW;151;0.5;2;NM;;;;;;1;1;1;EUR\n`).format).toBe('cardmarket')
  })

  it('map Cardmarket\'s seven conditions onto ours', () => {
    expect(['MT', 'NM', 'EX', 'GD', 'LP', 'PL', 'PO'].map(mapCardmarketCondition)).toEqual(['NM', 'NM', 'LP', 'MP', 'MP', 'HP', 'DMG'])
    expect(mapCardmarketCondition('near_mint')).toBe('NM')
    expect(mapCardmarketCondition('')).toBe('NM')
    expect(() => mapCardmarketCondition('HP')).toThrow(LineProblem)
  })

  it('read a stock line: number, language by name, reverse holo, playset, comment; the listing price is no purchase price', () => {
    const line = mapRow('cardmarket', record(STOCK, '735204,2,Sprigatito,Paldea Evolved,PAL,012,EX,French,0,1,0,0,1,0.35,"pli léger",Classeur A,Felori,Sprigatito,Poussacha,Sprigatito,Common,2024-05-01'))
    expect(line).toMatchObject({
      ref: { setCode: 'PAL', setName: 'Paldea Evolved', number: '012', name: 'Sprigatito' },
      quantity: 8,
      condition: 'LP',
      language: 'fr',
      finish: 'reverse',
      notes: 'pli léger',
      location: 'Classeur A',
      pricePaid: null,
    })
    expect(mapRow('cardmarket', record(STOCK, '1,1,Charizard,Base Set,BS,4,GD,English,1,0,0,1,0,400,,,,,,,Rare,')).finish).toBe('first-edition')
    expect(mapRow('cardmarket', record(STOCK, '1,1,Charizard,Base Set,BS,4,PO,English,1,0,0,0,0,400,,,,,,,Rare,')).finish).toBe('holo')
  })

  it('read the older line: languages by Cardmarket\'s numbers, flags as X, no collector number', () => {
    const fields = parseCsvText(`${LEGACY}\n1;2;Pikachu;Pikachu;MEW;151;0.5;2;PL;X;;;;;3;1;1;EUR\n`).records[0]!.record
    expect(mapRow('cardmarket', fields)).toMatchObject({ ref: { setCode: 'MEW', setName: '151', name: 'Pikachu' }, quantity: 3, condition: 'HP', language: 'fr', finish: 'holo' })
  })

  it('refuse an unknown language with its code for the UI', () => {
    expect(() => mapRow('cardmarket', record(STOCK, '1,1,Pikachu,151,MEW,25,NM,Klingon,0,0,0,0,0,1,,,,,,,Common,'))).toThrow(expect.objectContaining({ code: 'unknownLanguage', params: { value: 'Klingon' } }))
  })
})

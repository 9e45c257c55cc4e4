import { describe, expect, it } from 'vitest'
import { type Client, setupApp, signUp } from '../support/app'

setupApp()

const send = (client: Client, csv: string, query = '') =>
  client.request(`/api/collection/import${query}`, { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } })
const totals = async (client: Client) => (await client.api('/api/collection')).totals

const DRAGON_SHIELD = [
  'Folder Name,Quantity,Trade Quantity,Card Name,Set Code,Set Name,Card Number,Condition,Printing,Language,Price Bought,Date Bought',
  'A,2,0,Sprigatito,PAL,Paldea Evolved,012,NearMint,Normal,English,,',
  'A,1,0,Charizard,BS,Base Set,4,Good,Foil,English,,',
  'A,1,0,Mewtwo,PAL,Paldea Evolved,012,NearMint,Normal,English,,',
].join('\n')

describe('CSV import preview (dry run), merge or replace', () => {
  it('previews what an import adds, merges and rejects, and writes nothing', async () => {
    const ann = await signUp('ann')
    await ann.api('/api/collection', { method: 'POST', json: { cardId: 'sv02-012', quantity: 1 } })

    const res = await send(ann, DRAGON_SHIELD, '?dryRun=true')
    expect(res.status).toBe(200)
    const preview = await res.json()
    expect(preview).toMatchObject({
      format: 'dragonshield',
      mode: 'add',
      added: { lines: 1, cards: 1 },
      merged: { lines: 1, cards: 2 },
      removed: { rows: 0, cards: 0 },
      rejectedCount: 1,
      skipped: 0,
    })
    expect(preview.rejected).toEqual([{ line: 4, message: expect.stringMatching(/not "Mewtwo"/), code: 'wrongName', params: expect.objectContaining({ name: 'Mewtwo' }) }])
    expect(await totals(ann)).toEqual({ cards: 1, distinct: 1, rows: 1 })

    // Replace says what it would remove first.
    const replace = await (await send(ann, DRAGON_SHIELD, '?dryRun=true&mode=replace')).json()
    expect(replace).toMatchObject({ mode: 'replace', added: { lines: 2, cards: 3 }, merged: { lines: 0, cards: 0 }, removed: { rows: 1, cards: 1 } })
    expect(await totals(ann)).toEqual({ cards: 1, distinct: 1, rows: 1 })
  })

  it('imports the good lines and reports the others with skipInvalid; refuses the whole file without it', async () => {
    const bea = await signUp('bea')
    expect((await send(bea, DRAGON_SHIELD)).status).toBe(422)
    expect(await totals(bea)).toEqual({ cards: 0, distinct: 0, rows: 0 })
    const res = await send(bea, DRAGON_SHIELD, '?skipInvalid=true')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ imported: 2, cards: 3, rejected: [{ line: 4, code: 'wrongName' }] })
    expect(await totals(bea)).toEqual({ cards: 3, distinct: 2, rows: 2 })
    // The same file again: the preview says it all merges, nothing new.
    expect(await (await send(bea, DRAGON_SHIELD, '?dryRun=true')).json()).toMatchObject({ added: { lines: 0 }, merged: { lines: 2, cards: 3 } })
  })

  it('names file-wide problems with a code the page translates', async () => {
    const cy = await signUp('cy')
    const res = await send(cy, 'a,b\n1,2\n', '?dryRun=true')
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ message: expect.stringMatching(/Unrecognised CSV columns/), data: { code: 'unknownColumns', params: { columns: 'a, b' } } })
  })

  it('imports Cardmarket\'s stock export with its condition scale, and its older semicolon export', async () => {
    const dan = await signUp('dan')
    const stock = [
      'cardmarketId,quantity,name,set,setCode,cn,condition,language,isFoil,isPlayset,isSigned,isFirstEd,isReverseHolo,price,comment,location,nameDE,nameES,nameFR,nameIT,rarity,listedAt',
      '1,1,Sprigatito,Paldea Evolved,PAL,012,MT,English,0,0,0,0,0,0.10,,,,,,,Common,2024-05-01',
      '2,2,Sprigatito,Paldea Evolved,PAL,012,EX,French,0,0,0,0,1,0.10,pli,,,,,,Common,2024-05-01',
      '3,1,Charizard,Base Set,BS,4,PL,German,1,0,0,0,0,300,,,,,,,Rare,2024-05-01',
      '4,1,Charizard,Base Set,BS,4,PO,English,1,0,0,0,0,300,,,,,,,Rare,2024-05-01',
    ].join('\n')
    const res = await send(dan, stock)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ format: 'cardmarket', imported: 4, cards: 5 })
    const items = (await dan.api('/api/collection?sort=number&pageSize=50')).items
    expect(items.map((i: any) => [i.cardId, i.quantity, i.condition, i.language, i.finish, i.notes]).sort()).toEqual([
      ['base1-4', 1, 'DMG', 'en', 'holo', null],
      ['base1-4', 1, 'HP', 'de', 'holo', null],
      ['sv02-012', 1, 'NM', 'en', 'normal', null],
      ['sv02-012', 2, 'LP', 'fr', 'reverse', 'pli'],
    ])

    const legacy = [
      'idArticle;idProduct;English Name;Local Name;Exp.;Exp. Name;Price;Language;Condition;Foil?;Signed?;Playset?;Altered?;Comments;Amount;onSale;idCurrency;Currency Code',
      '9;9;Charizard;Dracaufeu;BS;Base Set;300;2;GD;X;;;;;1;1;1;EUR',
    ].join('\n')
    expect(await (await send(dan, legacy)).json()).toMatchObject({ format: 'cardmarket', imported: 1, cards: 1 })
    expect((await dan.api('/api/collection?language=fr&condition=MP')).items.map((i: any) => i.cardId)).toEqual(['base1-4'])
  })
})

describe('collection search uses the catalogue search\'s matching', () => {
  it('finds copies by number, number/total, shiny-vault and gallery numbers, set names in French and codes', async () => {
    const eve = await signUp('eve')
    for (const cardId of ['swsh3-193', 'sma-SV72', 'swsh12.5gg-GG10', 'sv08.5-001', 'sv02-012']) {
      await eve.api('/api/collection', { method: 'POST', json: { cardId } })
    }
    const found = async (q: string) => ((await eve.api(`/api/collection?q=${encodeURIComponent(q)}`)).items as { cardId: string }[]).map(i => i.cardId).sort()
    expect(await found('193')).toEqual(['swsh3-193'])
    expect(await found('193/189')).toEqual(['swsh3-193'])
    expect(await found('SV72')).toEqual(['sma-SV72'])
    expect(await found('GG10')).toEqual(['swsh12.5gg-GG10'])
    expect(await found('Évolutions Prismatiques')).toEqual(['sv08.5-001'])
    expect(await found('evolutions prismatiques')).toEqual(['sv08.5-001'])
    expect(await found('PRE')).toEqual(['sv08.5-001'])
    expect(await found('PAL 012')).toEqual(['sv02-012'])
    expect(await found('Cizayox')).toEqual(['sma-SV72', 'swsh3-193'])
    expect(await found('noeunoeuf prismatiques')).toEqual(['sv08.5-001'])
    expect(await found('sv02-012')).toEqual(['sv02-012'])
    expect(await found('12')).toEqual(['sv02-012'])
  })
})

describe('CSV import next to other writes', () => {
  const POKEVENTORY_CSV = (rows: string[]) => ['card_id,quantity,condition,language,finish', ...rows].join('\n')

  it('makes a row it adds to a new version: a write made from the old one gets its 409', async () => {
    const ida = await signUp('ida')
    const row = (await ida.api('/api/collection', { method: 'POST', json: { cardId: 'sv02-012', quantity: 1, condition: 'NM', language: 'en', finish: 'normal' } })).item
    expect((await send(ida, POKEVENTORY_CSV(['sv02-012,2,NM,en,normal']))).status).toBe(200)
    const now = (await ida.api(`/api/collection/${row.id}`)).item
    expect(now).toMatchObject({ quantity: 3, version: row.version + 1 })
    expect((await ida.request(`/api/collection/${row.id}`, { method: 'PATCH', json: { quantity: 1, version: row.version } })).status).toBe(409)
  })

  it('never answers 500 when an import and crossed merges of the same rows meet', async () => {
    const lea = await signUp('lea')
    for (let round = 0; round < 4; round++) {
      const a = (await lea.api('/api/collection', { method: 'POST', json: { cardId: 'sv02-012', quantity: 1, condition: 'NM', language: 'en', finish: 'normal' } })).item
      const b = (await lea.api('/api/collection', { method: 'POST', json: { cardId: 'sv02-012', quantity: 2, condition: 'LP', language: 'en', finish: 'normal' } })).item
      const responses = await Promise.all([
        send(lea, POKEVENTORY_CSV(['sv02-012,1,LP,en,normal', 'sv02-012,1,NM,en,normal'])),
        lea.request(`/api/collection/${a.id}`, { method: 'PATCH', json: { condition: 'LP' } }),
        lea.request(`/api/collection/${b.id}`, { method: 'PATCH', json: { condition: 'NM' } }),
      ])
      for (const res of responses) expect([200, 404], await res.clone().text()).toContain(res.status)
      expect((await totals(lea)).cards).toBe(5)
      for (const item of (await lea.api('/api/collection?q=sv02-012')).items) await lea.api(`/api/collection/${item.id}`, { method: 'DELETE' })
    }
  })
})

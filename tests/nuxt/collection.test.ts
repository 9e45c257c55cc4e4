import { describe, expect, it } from 'vitest'
import { anonymous, type Client, setupApp, signUp } from '../support/app'

setupApp()

const add = async (client: Client, body: Record<string, unknown>) =>
  (await client.api<{ item: any }>('/api/collection', { method: 'POST', json: body })).item
const list = (client: Client, query = '') => client.api<any>(`/api/collection${query ? `?${query}` : ''}`)
const ids = (page: { items: { cardId: string }[] }) => page.items.map(i => i.cardId)

function csvUpload(client: Client, csv: string, { mode, name = 'cards.csv', type = 'text/csv' }: { mode?: string, name?: string, type?: string } = {}) {
  const form = new FormData()
  form.set('file', new Blob([csv], { type }), name)
  if (mode) form.set('mode', mode)
  return client.request('/api/collection/import', { method: 'POST', body: form })
}

describe('collection routes need a user', () => {
  it('answers 401 without a session', async () => {
    const id = '00000000-0000-4000-8000-000000000000'
    for (const [method, path] of [['GET', '/api/collection'], ['POST', '/api/collection'], ['GET', `/api/collection/${id}`], ['PATCH', `/api/collection/${id}`], ['DELETE', `/api/collection/${id}`], ['GET', '/api/collection/export.csv'], ['POST', '/api/collection/import']] as const) {
      const res = await anonymous.request(path, { method, json: method === 'POST' || method === 'PATCH' ? { cardId: 'sv02-012' } : undefined })
      expect(res.status, `${method} ${path}`).toBe(401)
    }
  })
})

describe('adding, listing, filtering', () => {
  it('adds a card with its catalogue summary and raises the same kind instead of duplicating', async () => {
    const ann = await signUp('ann')
    const res = await ann.request('/api/collection', { method: 'POST', json: { cardId: 'sv02-012', quantity: 2, language: 'fr', finish: 'reverse', location: 'Binder A', pricePaid: '0.50', acquiredAt: '2024-05-01' } })
    expect(res.status).toBe(201)
    const { item } = await res.json()
    expect(item).toMatchObject({
      cardId: 'sv02-012', quantity: 2, condition: 'NM', language: 'fr', finish: 'reverse', location: 'Binder A', pricePaid: 0.5, acquiredAt: '2024-05-01', sourceDraftId: null,
      card: { id: 'sv02-012', name: 'Poussacha', names: { en: 'Sprigatito' }, setId: 'sv02', setName: 'Paldea Evolved', setCode: 'PAL', localId: '012', printedTotal: 193, rarity: 'Common' },
    })
    expect(item.card.imageUrl).toBe('/api/cards/sv02-012/image?lang=fr&size=low')
    expect(item.id).toMatch(/^[0-9a-f-]{36}$/)

    const again = await add(ann, { cardId: 'sv02-012', quantity: 3, language: 'fr', finish: 'reverse' })
    expect(again.id).toBe(item.id)
    expect(again.quantity).toBe(5)
    expect((await list(ann)).total).toBe(1)
  })

  it('refuses bad bodies with 400 and unknown cards with 422', async () => {
    const ben = await signUp('ben')
    for (const body of [{}, { cardId: 'sv02-012', quantity: 0 }, { cardId: 'sv02-012', quantity: 10000 }, { cardId: 'sv02-012', condition: 'XX' }, { cardId: 'sv02-012', finish: 'golden' }, { cardId: 'sv02-012', acquiredAt: '2024-13-01' }, { cardId: 'sv02-012', pricePaid: -1 }]) {
      const res = await ben.request('/api/collection', { method: 'POST', json: body })
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect((await res.json()).data.issues.length).toBeGreaterThan(0)
    }
    const bad = await ben.request('/api/collection', { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } })
    expect(bad.status).toBe(400)
    const unknown = await ben.request('/api/collection', { method: 'POST', json: { cardId: 'nope-999' } })
    expect(unknown.status).toBe(422)
    expect((await unknown.json()).message).toMatch(/Unknown card id/)
  })

  it('filters by set, name in any language, card id, language, condition, finish and location, with totals', async () => {
    const cat = await signUp('cat')
    await add(cat, { cardId: 'sv02-012', quantity: 2, language: 'fr', finish: 'reverse', location: 'Binder A' })
    await add(cat, { cardId: 'sv02-012', quantity: 1, condition: 'LP' })
    await add(cat, { cardId: 'sv02-013', quantity: 4, location: 'binder a' })
    await add(cat, { cardId: 'base1-4', quantity: 1, finish: 'holo', condition: 'MP', location: 'Safe' })
    await add(cat, { cardId: 'sv02-011', quantity: 7, finish: 'holo' })

    const all = await list(cat)
    expect(all.total).toBe(5)
    expect(all.totals).toEqual({ cards: 15, distinct: 4, rows: 5 })

    const set = await list(cat, 'set=sv02')
    expect(set.totals).toEqual({ cards: 14, distinct: 3, rows: 4 })
    expect((await list(cat, 'set=pal')).total).toBe(4)
    expect(ids(await list(cat, 'q=Dracaufeu'))).toEqual(['base1-4'])
    expect(ids(await list(cat, 'q=GLURAK'))).toEqual(['base1-4'])
    expect((await list(cat, 'q=poussacha')).totals).toEqual({ cards: 7, distinct: 2, rows: 3 })
    expect(ids(await list(cat, 'q=SV02-011'))).toEqual(['sv02-011'])
    expect(ids(await list(cat, 'q=100%25'))).toEqual([])
    expect(ids(await list(cat, 'language=fr'))).toEqual(['sv02-012'])
    expect(ids(await list(cat, 'condition=MP'))).toEqual(['base1-4'])
    expect(ids(await list(cat, 'finish=holo&sort=number'))).toEqual(['base1-4', 'sv02-011'])
    expect((await list(cat, 'location=BINDER%20A')).totals.cards).toBe(6)
    expect((await list(cat, 'set=sv02&condition=NM&finish=normal')).totals).toEqual({ cards: 4, distinct: 1, rows: 1 })
  })

  it('sorts and pages', async () => {
    const dee = await signUp('dee')
    await add(dee, { cardId: 'sv02-013', quantity: 1 })
    await add(dee, { cardId: 'base1-4', quantity: 5 })
    await add(dee, { cardId: 'sv02-011', quantity: 3 })

    expect(ids(await list(dee))).toEqual(['sv02-011', 'base1-4', 'sv02-013']) // last updated first
    expect(ids(await list(dee, 'sort=added&order=asc'))).toEqual(['sv02-013', 'base1-4', 'sv02-011'])
    expect(ids(await list(dee, 'sort=name'))).toEqual(['sv02-011', 'base1-4', 'sv02-013'])
    expect(ids(await list(dee, 'sort=name&order=desc'))).toEqual(['sv02-013', 'base1-4', 'sv02-011'])
    expect(ids(await list(dee, 'sort=quantity'))).toEqual(['base1-4', 'sv02-011', 'sv02-013'])
    expect(ids(await list(dee, 'sort=number'))).toEqual(['base1-4', 'sv02-011', 'sv02-013'])
    expect(ids(await list(dee, 'sort=set'))).toEqual(['base1-4', 'sv02-011', 'sv02-013'])

    const page2 = await list(dee, 'sort=quantity&pageSize=2&page=2')
    expect(page2).toMatchObject({ total: 3, page: 2, pageSize: 2, totals: { cards: 9, distinct: 3, rows: 3 } })
    expect(ids(page2)).toEqual(['sv02-013'])
    expect((await list(dee, 'page=9')).items).toEqual([])
  })

  it('refuses bad queries with 400 naming the field', async () => {
    const eli = await signUp('eli')
    for (const q of ['sort=cost', 'order=up', 'page=0', 'pageSize=500', 'pageSize=x', 'condition=mint', 'language=xx', 'finish=gold']) {
      const res = await eli.request(`/api/collection?${q}`)
      expect(res.status, q).toBe(400)
      expect((await res.json()).data.issues[0].path).toBe(q.split('=')[0])
    }
  })
})

describe('changing and deleting rows', () => {
  it('patches details, and merges into the existing row when the kind changes onto it', async () => {
    const fay = await signUp('fay')
    const nm = await add(fay, { cardId: 'sv02-012', quantity: 2, location: 'Binder A' })
    const lp = await add(fay, { cardId: 'sv02-012', quantity: 3, condition: 'LP', notes: 'corner wear', pricePaid: 1 })

    const { item: edited, mergedFrom: none } = await fay.api(`/api/collection/${lp.id}`, { method: 'PATCH', json: { notes: null, location: 'Box 2', quantity: 4 } })
    expect(none).toBeNull()
    expect(edited).toMatchObject({ id: lp.id, notes: null, location: 'Box 2', quantity: 4, condition: 'LP', pricePaid: 1 })

    const merged = await fay.api(`/api/collection/${lp.id}`, { method: 'PATCH', json: { condition: 'NM' } })
    expect(merged.mergedFrom).toBe(lp.id)
    expect(merged.item).toMatchObject({ id: nm.id, quantity: 6, condition: 'NM', location: 'Binder A', pricePaid: 1 })
    expect((await fay.request(`/api/collection/${lp.id}`)).status).toBe(404)
    expect((await list(fay)).totals).toEqual({ cards: 6, distinct: 1, rows: 1 })

    // A change of kind onto nothing existing just changes the row.
    const moved = await fay.api(`/api/collection/${nm.id}`, { method: 'PATCH', json: { finish: 'reverse', grader: 'PSA', grade: '9' } })
    expect(moved).toMatchObject({ mergedFrom: null, item: { id: nm.id, finish: 'reverse', grader: 'PSA', grade: '9' } })
  })

  it('refuses a merge above the maximum quantity (422) and bad patches (400)', async () => {
    const gus = await signUp('gus')
    const a = await add(gus, { cardId: 'base1-4', quantity: 9000 })
    const b = await add(gus, { cardId: 'base1-4', quantity: 1000, condition: 'HP' })
    const over = await gus.request(`/api/collection/${b.id}`, { method: 'PATCH', json: { condition: 'NM' } })
    expect(over.status).toBe(422)
    expect((await gus.api(`/api/collection/${b.id}`)).item.condition).toBe('HP')
    expect((await gus.api(`/api/collection/${a.id}`)).item.quantity).toBe(9000)

    for (const body of [{}, { quantity: 0 }, { quantity: 10000 }, { quantity: -1 }, { condition: 'bad' }, { cardId: 'sv02-012' }, { colour: 'red' }]) {
      const res = await gus.request(`/api/collection/${a.id}`, { method: 'PATCH', json: body })
      expect(res.status, JSON.stringify(body)).toBe(400)
    }
  })

  it('deletes a row and answers it, so posting it back undoes the delete', async () => {
    const hal = await signUp('hal')
    const row = await add(hal, { cardId: 'sv02-011', quantity: 3, condition: 'LP', language: 'de', finish: 'holo', location: 'Binder', notes: 'n', pricePaid: 2.5, acquiredAt: '2023-12-24', grader: 'CGC', grade: '8.5', certNumber: 'X1' })
    const res = await hal.api(`/api/collection/${row.id}`, { method: 'DELETE' })
    expect(res.ok).toBe(true)
    expect(res.item).toEqual(row)
    expect((await list(hal)).total).toBe(0)
    expect((await hal.request(`/api/collection/${row.id}`, { method: 'DELETE' })).status).toBe(404)

    const restored = await add(hal, res.item)
    const strip = ({ id: _i, createdAt: _c, updatedAt: _u, ...rest }: any) => rest
    expect(strip(restored)).toEqual(strip(row))
  })

  it('keeps every user\'s rows their own: 404 for another user\'s row, absent from their lists', async () => {
    const ida = await signUp('ida')
    const jon = await signUp('jon')
    const row = await add(ida, { cardId: 'sv02-012', quantity: 2 })
    await add(jon, { cardId: 'sv02-013' })

    expect(ids(await list(jon))).toEqual(['sv02-013'])
    expect((await list(jon, 'q=sprigatito')).totals.cards).toBe(1)
    expect((await jon.request(`/api/collection/${row.id}`)).status).toBe(404)
    expect((await jon.request(`/api/collection/${row.id}`, { method: 'PATCH', json: { quantity: 1 } })).status).toBe(404)
    expect((await jon.request(`/api/collection/${row.id}`, { method: 'DELETE' })).status).toBe(404)
    const exported = await (await jon.request('/api/collection/export.csv')).text()
    expect(exported).not.toContain('sv02-012')
    expect((await ida.api(`/api/collection/${row.id}`)).item.quantity).toBe(2)

    for (const method of ['GET', 'PATCH', 'DELETE']) {
      expect((await ida.request('/api/collection/not-a-uuid', { method, json: method === 'PATCH' ? { quantity: 1 } : undefined })).status).toBe(404)
    }
  })
})

describe('CSV export and import', () => {
  it('exports our columns as an attachment, guarded against formulas, and imports back to the same collection', async () => {
    const kim = await signUp('kim')
    await add(kim, { cardId: 'sv02-012', quantity: 2, language: 'fr', finish: 'reverse', location: '=cmd|calc', notes: 'line one\nline "two", three' })
    await add(kim, { cardId: 'base1-4', quantity: 1, condition: 'LP', finish: 'holo', grader: 'PSA', grade: '7', certNumber: '123', pricePaid: 250, acquiredAt: '2020-01-02' })
    await add(kim, { cardId: 'sv02-011', quantity: 5 })

    const res = await kim.request('/api/collection/export.csv')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="pokeventory-collection-\d{4}-\d{2}-\d{2}\.csv"$/)
    const csv = await res.text()
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n')
    expect(lines[0]).toBe('card_id,set_id,set_code,set_name,local_id,name,quantity,condition,language,finish,grader,grade,cert_number,location,notes,price_paid,price_paid_currency,acquired_at,market_price,market_currency')
    expect(lines[1]).toBe('base1-4,base1,BS,Base Set,4,Charizard,1,LP,en,holo,PSA,7,123,,,250.00,EUR,2020-01-02,,')
    expect(csv).toContain('\'=cmd|calc')
    expect(csv).not.toMatch(/,=cmd/)

    const filtered = await (await kim.request('/api/collection/export.csv?set=sv02')).text()
    expect(filtered).not.toContain('base1-4')

    const lea = await signUp('lea')
    const imported = await lea.api('/api/collection/import', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } })
    expect(imported).toEqual({ format: 'pokeventory', mode: 'add', imported: 3, cards: 8, skipped: 0, rejected: [] })
    const strip = (p: any) => p.items.map(({ id: _i, createdAt: _c, updatedAt: _u, ...rest }: any) => rest)
    expect(strip(await list(lea, 'sort=number'))).toEqual(strip(await list(kim, 'sort=number')))

    // Importing the same file again adds the copies up; replace mode swaps the collection.
    await lea.api('/api/collection/import', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } })
    expect((await list(lea)).totals).toEqual({ cards: 16, distinct: 3, rows: 3 })
    const replaced = await csvUpload(lea, csv, { mode: 'replace' })
    expect(replaced.status).toBe(200)
    expect((await replaced.json()).mode).toBe('replace')
    expect((await list(lea)).totals).toEqual({ cards: 8, distinct: 3, rows: 3 })
  })

  it('imports a Dragon Shield export (sep= line, folders, French copies)', async () => {
    const max = await signUp('max')
    const csv = [
      'sep=,',
      'Folder Name,Quantity,Trade Quantity,Card Name,Set Code,Set Name,Card Number,Condition,Printing,Language,Price Bought,Date Bought,LOW,MID,MARKET',
      'Main,2,0,Sprigatito,PAL,Paldea Evolved,012,NearMint,Normal,English,0.10,2024-01-05,0.02,0.05,0.08',
      'Main,1,1,Poussacha,PAL,Paldea Evolved,013,Excellent,Foil,French,,,,,',
      'Vintage,1,0,Charizard,BS,Base Set,4,Good,Foil,English,"1,200.00",12/24/2021,,,',
    ].join('\r\n')
    const res = await csvUpload(max, csv, { name: 'all-folders.csv', type: 'text/csv' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ format: 'dragonshield', mode: 'add', imported: 3, cards: 4, skipped: 0, rejected: [] })
    const items = (await list(max, 'sort=number')).items
    expect(items.map((i: any) => [i.cardId, i.quantity, i.condition, i.finish, i.language, i.location])).toEqual([
      ['base1-4', 1, 'MP', 'holo', 'en', 'Vintage'],
      ['sv02-012', 2, 'NM', 'normal', 'en', 'Main'],
      ['sv02-013', 1, 'LP', 'reverse', 'fr', 'Main'], // a "Foil" common is its reverse holo
    ])
    expect(items[0]).toMatchObject({ pricePaid: 1200, acquiredAt: '2021-12-24' })
  })

  it('imports a ManaBox export', async () => {
    const ned = await signUp('ned')
    const csv = [
      'Binder Name,Binder Type,Name,Set code,Set name,Collector number,Foil,Rarity,Quantity,ManaBox ID,Scryfall ID,Purchase price,Misprint,Altered,Condition,Language,Purchase price currency',
      'Pokémon,binder,Abomasnow,sv02,Paldea Evolved,11,foil,rare,2,101,,1.25,false,false,lightly_played,en,EUR',
      'Pokémon,binder,Charizard,base1,Base Set,4,normal,rare,1,102,,,false,false,near_mint,de,EUR',
    ].join('\n')
    const res = await ned.api('/api/collection/import', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv; charset=utf-8' } })
    expect(res).toMatchObject({ format: 'manabox', imported: 2, cards: 3 })
    expect((await list(ned, 'sort=number')).items.map((i: any) => [i.cardId, i.condition, i.finish, i.language, i.pricePaid])).toEqual([
      ['base1-4', 'NM', 'holo', 'de', null], // "normal" (not foil) of a holo rare is its own printing
      ['sv02-011', 'LP', 'holo', 'en', 1.25],
    ])
  })

  it('imports TCGplayer exports: the app\'s collection and the seller inventory', async () => {
    const oli = await signUp('oli')
    const app = [
      'Quantity,Name,Simple Name,Set,Card Number,Set Code,Printing,Condition,Language,Rarity,Product ID,SKU',
      '3,Sprigatito - 012/193,Sprigatito,SV02: Paldea Evolved,012/193,PAL,Reverse Holofoil,Near Mint,English,Common,497561,7000001',
      '1,Charizard,Charizard,Base Set,4/102,,1st Edition Holofoil,Lightly Played,English,Holo Rare,42382,1',
    ].join('\n')
    expect(await oli.api('/api/collection/import', { method: 'POST', body: app, headers: { 'content-type': 'text/csv' } })).toMatchObject({ format: 'tcgplayer', imported: 2, cards: 4 })
    const seller = [
      'TCGplayer Id,Product Line,Set Name,Product Name,Title,Number,Rarity,Condition,TCG Market Price,TCG Direct Low,TCG Low Price With Shipping,TCG Low Price,Total Quantity,Add to Quantity,TCG Marketplace Price,Photo URL',
      '"111","Pokemon","SV02: Paldea Evolved","Abomasnow","","011/193","Rare","Near Mint Holofoil","0.30","","","","2","0","0.35",""',
      '"112","Pokemon","SV02: Paldea Evolved","Sprigatito (013)","","013/193","Common","Damaged","0.05","","","","0","0","0.05",""',
    ].join('\r\n')
    expect(await oli.api('/api/collection/import', { method: 'POST', body: seller, headers: { 'content-type': 'text/csv' } })).toMatchObject({ format: 'tcgplayer-seller', imported: 1, cards: 2, skipped: 1 })
    expect((await list(oli, 'sort=number')).items.map((i: any) => [i.cardId, i.quantity, i.condition, i.finish])).toEqual([
      ['base1-4', 1, 'LP', 'first-edition'],
      ['sv02-011', 2, 'NM', 'holo'],
      ['sv02-012', 3, 'NM', 'reverse'],
    ])
  })

  it('imports nothing when one line is bad, and says which lines', async () => {
    const pam = await signUp('pam')
    await add(pam, { cardId: 'sv02-011' })
    const csv = [
      'Folder Name,Quantity,Trade Quantity,Card Name,Set Code,Set Name,Card Number,Condition,Printing,Language,Price Bought,Date Bought',
      'A,1,0,Sprigatito,PAL,Paldea Evolved,012,NearMint,Normal,English,,',
      'A,1,0,Mewtwo,PAL,Paldea Evolved,012,NearMint,Normal,English,,',
      'A,1,0,Sprigatito,PAL,Paldea Evolved,013,NearMint,Normal,Klingon,,',
      'A,1,0,Sprigatito,ZZZ,Nowhere Set,013,NearMint,Normal,English,,',
    ].join('\n')
    const res = await csvUpload(pam, csv)
    expect(res.status).toBe(422)
    const body = await res.json()
    expect(body.message).toMatch(/Nothing was imported/)
    expect(body.errors).toEqual([
      { line: 3, message: expect.stringMatching(/is "Sprigatito", not "Mewtwo"/), code: 'wrongName', params: { set: 'PAL', number: '012', found: 'Sprigatito', name: 'Mewtwo' } },
      { line: 4, message: expect.stringMatching(/Unknown language/), code: 'unknownLanguage', params: { value: 'Klingon' } },
      { line: 5, message: expect.stringMatching(/Unknown set/), code: 'unknownSet', params: { value: 'ZZZ' } },
    ])
    expect(body.data.errors).toEqual(body.errors)
    expect((await list(pam)).totals).toEqual({ cards: 1, distinct: 1, rows: 1 })

    // Replace mode is all-or-nothing too: the old collection survives a failed replace.
    expect((await csvUpload(pam, csv, { mode: 'replace' })).status).toBe(422)
    expect((await list(pam)).total).toBe(1)
  })

  it('refuses what is not a CSV, too large a file, and a bad mode', async () => {
    const quinn = await signUp('quinn')
    expect((await csvUpload(quinn, '\x89PNG\r\n\x1A\n\0\0', { name: 'photo.png', type: 'image/png' })).status).toBe(415)
    expect((await quinn.request('/api/collection/import', { method: 'POST', json: { csv: 'a,b' } })).status).toBe(415)
    expect((await csvUpload(quinn, 'a\0b,c\n', { type: 'text/csv' })).status).toBe(415)
    const unknown = await csvUpload(quinn, 'colour,size\nred,2\n')
    expect(unknown.status).toBe(400)
    expect((await unknown.json()).message).toMatch(/Unrecognised CSV columns/)
    expect((await csvUpload(quinn, '')).status).toBe(400)
    const noFile = new FormData()
    noFile.set('other', 'x')
    expect((await quinn.request('/api/collection/import', { method: 'POST', body: noFile })).status).toBe(400)
    const header = 'card_id,quantity\n'
    const big = header + 'sv02-012,1\n'.repeat(Math.ceil(5.1 * 1024 * 1024 / 11))
    expect((await csvUpload(quinn, big)).status).toBe(413)
    expect((await quinn.request('/api/collection/import?mode=merge', { method: 'POST', body: `${header}sv02-012,1\n`, headers: { 'content-type': 'text/csv' } })).status).toBe(400)
    expect((await list(quinn)).total).toBe(0)
  })
})

describe('concurrent and repeated changes (issue 18, items 10, 11, 13)', () => {
  it('counts every one of ten concurrent +1 steps (quantityDelta): 5 becomes 15', async () => {
    const rex = await signUp('rex')
    const row = await add(rex, { cardId: 'sv02-012', quantity: 5 })
    const results = await Promise.all(Array.from({ length: 10 }, () => rex.request(`/api/collection/${row.id}`, { method: 'PATCH', json: { quantityDelta: 1 } })))
    expect(results.map(r => r.status)).toEqual(Array(10).fill(200))
    const now = (await rex.api(`/api/collection/${row.id}`)).item
    expect(now.quantity).toBe(15)
    expect(now.version).toBe(row.version + 10)
    expect((await rex.api(`/api/collection/${row.id}`, { method: 'PATCH', json: { quantityDelta: -14 } })).item.quantity).toBe(1)
    for (const [json, status] of [[{ quantityDelta: -1 }, 422], [{ quantityDelta: 9999 }, 422], [{ quantityDelta: 1.5 }, 400], [{ quantityDelta: 1, quantity: 3 }, 400]] as const) {
      expect((await rex.request(`/api/collection/${row.id}`, { method: 'PATCH', json })).status, JSON.stringify(json)).toBe(status)
    }
    expect((await rex.api(`/api/collection/${row.id}`)).item.quantity).toBe(1)
  })

  it('refuses an absolute write made over a change since it was read (409 with If-Match or version), and takes it with the current version', async () => {
    const sue = await signUp('sue')
    const row = await add(sue, { cardId: 'sv02-013', quantity: 5 })
    const read = await sue.request(`/api/collection/${row.id}`)
    expect(read.headers.get('etag')).toBe(`"${row.version}"`)
    // Another device adds one; this one, still showing 5, then sets 6 from what it read.
    await sue.api(`/api/collection/${row.id}`, { method: 'PATCH', json: { quantityDelta: 1 } })
    const stale = await sue.request(`/api/collection/${row.id}`, { method: 'PATCH', json: { quantity: 6 }, headers: { 'if-match': `"${row.version}"` } })
    expect(stale.status).toBe(409)
    expect((await stale.json()).message).toMatch(/changed since you read it/)
    expect((await sue.request(`/api/collection/${row.id}`, { method: 'PATCH', json: { quantity: 6, version: row.version } })).status).toBe(409)
    expect((await sue.api(`/api/collection/${row.id}`)).item.quantity).toBe(6)

    const fresh = await sue.request(`/api/collection/${row.id}`, { method: 'PATCH', json: { quantity: 8 }, headers: { 'if-match': `"${row.version + 1}"` } })
    expect(fresh.status).toBe(200)
    expect(fresh.headers.get('etag')).toBe(`"${row.version + 2}"`)
    expect((await fresh.json()).item.quantity).toBe(8)
    expect((await sue.request(`/api/collection/${row.id}`, { method: 'PATCH', json: { quantity: 8 }, headers: { 'if-match': 'yesterday' } })).status).toBe(400)
  })

  it('never answers 500 to crossed merges (row A onto B while B onto A): both succeed or find their row gone', async () => {
    const tom = await signUp('tom')
    for (let round = 0; round < 5; round++) {
      const a = await add(tom, { cardId: 'sv02-011', quantity: 1, condition: 'NM' })
      const b = await add(tom, { cardId: 'sv02-011', quantity: 2, condition: 'LP' })
      const [ra, rb] = await Promise.all([
        tom.request(`/api/collection/${a.id}`, { method: 'PATCH', json: { condition: 'LP' } }),
        tom.request(`/api/collection/${b.id}`, { method: 'PATCH', json: { condition: 'NM' } }),
      ])
      for (const res of [ra, rb]) expect([200, 404], await res.clone().text()).toContain(res.status)
      const page = await list(tom, 'q=sv02-011')
      expect(page.totals).toEqual({ cards: 3, distinct: 1, rows: 1 })
      await tom.api(`/api/collection/${page.items[0].id}`, { method: 'DELETE' })
    }
  })

  it('keeps the new details of a second add of the same kind (notes, location, price, date), and answers them', async () => {
    const uma = await signUp('uma')
    await add(uma, { cardId: 'base1-4', quantity: 1, notes: 'first copy', location: 'Binder A', pricePaid: 100, acquiredAt: '2020-01-01' })
    const again = await add(uma, { cardId: 'base1-4', quantity: 2, notes: 'bought at the fair', location: 'Safe', pricePaid: 120 })
    expect(again).toMatchObject({ quantity: 3, notes: 'bought at the fair', location: 'Safe', pricePaid: 120, acquiredAt: '2020-01-01' })
    // Details not sent stay as they were.
    const third = await add(uma, { cardId: 'base1-4' })
    expect(third).toMatchObject({ quantity: 4, notes: 'bought at the fair', location: 'Safe', pricePaid: 120, acquiredAt: '2020-01-01' })
    expect((await list(uma)).total).toBe(1)
  })
})

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { anonymous, type Client, rootDir, setupApp, signUp } from '../support/app'

setupApp()

const NO_ROW = '00000000-0000-4000-8000-000000000000'

const add = async (client: Client, body: Record<string, unknown>) =>
  (await client.api<{ item: any }>('/api/collection', { method: 'POST', json: body })).item
const newBinder = async (client: Client, body: Record<string, unknown> = {}) =>
  (await client.api<{ binder: any }>('/api/binders', { method: 'POST', json: { name: 'Main binder', ...body } })).binder
const newBox = async (client: Client, name = 'Bulk box') =>
  (await client.api<{ box: any }>('/api/boxes', { method: 'POST', json: { name } })).box
const move = (client: Client, json: Record<string, unknown>) => client.request('/api/places/move', { method: 'POST', json })
const view = (client: Client, id: string) => client.api<any>(`/api/binders/${id}`)
const slotsOf = (v: any) => v.slots.map((s: any) => `${s.page}.${s.slot}:${s.card.cardId}`)
const placesOfRow = async (client: Client, cardId: string) =>
  (await client.api<any>(`/api/collection?q=${cardId}`)).items.map((i: any) => ({ id: i.id, quantity: i.quantity, places: i.places }))

describe('binders and boxes', () => {
  it('need a user, and answer 404 for another user\'s binder, box, slot or row', async () => {
    for (const [method, path] of [['GET', '/api/binders'], ['POST', '/api/binders'], ['GET', '/api/boxes'], ['POST', '/api/places/move'], ['GET', '/api/places/unplaced'], ['GET', `/api/binders/${NO_ROW}`]] as const) {
      expect((await anonymous.request(path, { method, json: method === 'POST' ? {} : undefined })).status, `${method} ${path}`).toBe(401)
    }
    const ann = await signUp('binder-ann')
    const bob = await signUp('binder-bob')
    const annBinder = await newBinder(ann, { name: 'Ann\'s' })
    const annBox = await newBox(ann)
    const annCopy = await add(ann, { cardId: 'sv03.5-025', quantity: 2 })
    const bobCopy = await add(bob, { cardId: 'sv03.5-004' })
    const bobBinder = await newBinder(bob)
    expect((await move(ann, { userCardId: annCopy.id, to: { binderId: annBinder.id, page: 1, slot: 1 } })).status).toBe(200)

    const b = `/api/binders/${annBinder.id}`
    for (const [method, path, json] of [
      ['GET', b, undefined], ['PATCH', b, { name: 'Mine now' }], ['DELETE', b, undefined], ['POST', `${b}/fill`, { setId: 'sv03.5' }],
      ['GET', `/api/boxes/${annBox.id}`, undefined], ['PATCH', `/api/boxes/${annBox.id}`, { name: 'x' }], ['DELETE', `/api/boxes/${annBox.id}`, undefined],
      ['POST', '/api/shares', { kind: 'binder', binderId: annBinder.id }],
    ] as const) {
      const res = await bob.request(path, { method, json })
      expect(res.status, `${method} ${path}`).toBe(404)
    }
    // Bob's copy into Ann's binder, Ann's copy (out of Ann's slot) into Bob's binder or box: all 404, nothing moved.
    for (const body of [
      { userCardId: bobCopy.id, to: { binderId: annBinder.id, page: 1, slot: 2 } },
      { userCardId: annCopy.id, from: { binderId: annBinder.id, page: 1, slot: 1 }, to: { binderId: bobBinder.id, page: 1, slot: 1 } },
      { userCardId: annCopy.id, to: { binderId: bobBinder.id, page: 1, slot: 1 } },
      { userCardId: bobCopy.id, to: { boxId: annBox.id } },
      { userCardId: annCopy.id, to: null, from: { binderId: annBinder.id, page: 1, slot: 1 } },
    ]) expect((await move(bob, body)).status, JSON.stringify(body)).toBe(404)
    expect(slotsOf(await view(ann, annBinder.id))).toEqual(['1.1:sv03.5-025'])
    expect((await bob.api('/api/binders')).binders.map((x: any) => x.id)).toEqual([bobBinder.id])
    expect((await bob.request('/api/binders/not-a-uuid')).status).toBe(404)
  })

  it('validates binders: layouts, pages, and no change that would leave cards out', async () => {
    const cid = await signUp('binder-cid')
    for (const body of [{ name: '' }, { name: 'x', layout: '4x4' }, { name: 'x', pages: 0 }, { name: 'x', pages: 201 }, { name: 'x', colour: 'red' }]) {
      expect((await cid.request('/api/binders', { method: 'POST', json: body })).status, JSON.stringify(body)).toBe(400)
    }
    const binder = await newBinder(cid, { layout: '3x4', pages: 10 })
    expect(binder).toMatchObject({ name: 'Main binder', layout: '3x4', pages: 10, capacity: 120, filled: 0, value: { total: 0 }, shared: false })
    const copy = await add(cid, { cardId: 'sv03.5-025' })
    expect((await move(cid, { userCardId: copy.id, to: { binderId: binder.id, page: 4, slot: 13 } })).status).toBe(400)
    expect((await move(cid, { userCardId: copy.id, to: { binderId: binder.id, page: 11, slot: 1 } })).status).toBe(422)
    expect((await move(cid, { userCardId: copy.id, to: { binderId: binder.id, page: 4, slot: 12 } })).status).toBe(200)
    const v = await view(cid, binder.id)
    expect(v.binder).toMatchObject({ cols: 3, rows: 4, filled: 1 })
    expect(v.slots[0]).toMatchObject({ page: 4, slot: 12, card: { userCardId: copy.id, cardId: 'sv03.5-025', name: 'Pikachu', imageUrl: '/api/cards/sv03.5-025/image?lang=en&size=low' } })

    const patch = (json: unknown) => cid.request(`/api/binders/${binder.id}`, { method: 'PATCH', json })
    expect((await patch({ pages: 3 })).status).toBe(409)
    expect((await patch({ layout: '3x3' })).status).toBe(409)
    expect((await patch({})).status).toBe(400)
    const renamed = await patch({ name: 'Pikachu binder', pages: 4 })
    expect(renamed.status).toBe(200)
    expect((await renamed.json()).binder).toMatchObject({ name: 'Pikachu binder', pages: 4 })
    // Deleting a binder keeps its cards in the collection, placed nowhere.
    expect((await cid.request(`/api/binders/${binder.id}`, { method: 'DELETE' })).status).toBe(200)
    expect(await placesOfRow(cid, 'sv03.5-025')).toEqual([{ id: copy.id, quantity: 1, places: [] }])
  })

  it('puts one copy in a slot: a taken slot is a 409, and a row places no more copies than it has', async () => {
    const dee = await signUp('binder-dee')
    const binder = await newBinder(dee)
    const pikachu = await add(dee, { cardId: 'sv03.5-025', quantity: 2 })
    const charmander = await add(dee, { cardId: 'sv03.5-004' })
    const slot = (n: number) => ({ binderId: binder.id, page: 1, slot: n })
    expect((await move(dee, { userCardId: pikachu.id, to: slot(1) })).status).toBe(200)
    const taken = await move(dee, { userCardId: charmander.id, to: slot(1) })
    expect(taken.status).toBe(409)
    expect((await taken.json()).message).toMatch(/already holds a card/)
    expect((await move(dee, { userCardId: pikachu.id, to: slot(1) })).status).toBe(409)
    expect((await move(dee, { userCardId: pikachu.id, to: slot(2), quantity: 2 })).status).toBe(422)
    const second = await move(dee, { userCardId: pikachu.id, to: slot(2) })
    expect(second.status).toBe(200)
    expect((await second.json()).places[pikachu.id]).toEqual([
      { kind: 'slot', binderId: binder.id, binderName: 'Main binder', page: 1, slot: 1, row: 1, col: 1 },
      { kind: 'slot', binderId: binder.id, binderName: 'Main binder', page: 1, slot: 2, row: 1, col: 2 },
    ])
    const third = await move(dee, { userCardId: pikachu.id, to: slot(3) })
    expect(third.status).toBe(409)
    expect((await third.json()).message).toMatch(/already placed/)
    // The copy must be where the client says it is.
    expect((await move(dee, { userCardId: charmander.id, from: slot(5), to: slot(6) })).status).toBe(409)

    // From a slot onto a taken slot swaps the two copies.
    expect((await move(dee, { userCardId: charmander.id, to: slot(3) })).status).toBe(200)
    const swap = await move(dee, { userCardId: charmander.id, from: slot(3), to: slot(1) })
    expect(swap.status).toBe(200)
    expect(Object.keys((await swap.json()).places).sort()).toEqual([charmander.id, pikachu.id].sort())
    expect(slotsOf(await view(dee, binder.id))).toEqual(['1.1:sv03.5-004', '1.2:sv03.5-025', '1.3:sv03.5-025'])

    const unplaced = await dee.api<any>('/api/places/unplaced')
    expect(unplaced.items).toEqual([])
    expect((await move(dee, { userCardId: pikachu.id, from: slot(3), to: null })).status).toBe(200)
    expect((await dee.api<any>('/api/places/unplaced')).items.map((i: any) => [i.cardId, i.unplaced])).toEqual([['sv03.5-025', 1]])
  })

  it('keeps boxes in step with the copies: quantities moved, fewer copies trim places, merged rows keep theirs', async () => {
    const eve = await signUp('binder-eve')
    const binder = await newBinder(eve)
    const box = await newBox(eve, 'Shoebox')
    const other = await newBox(eve, 'Trade box')
    const furret = await add(eve, { cardId: 'swsh3-136', quantity: 5 })
    expect((await move(eve, { userCardId: furret.id, to: { boxId: box.id }, quantity: 6 })).status).toBe(409)
    expect((await move(eve, { userCardId: furret.id, to: { boxId: box.id }, quantity: 3 })).status).toBe(200)
    expect((await move(eve, { userCardId: furret.id, from: { boxId: box.id }, to: { boxId: other.id }, quantity: 2 })).status).toBe(200)
    expect((await move(eve, { userCardId: furret.id, from: { boxId: box.id }, to: { binderId: binder.id, page: 2, slot: 5 } })).status).toBe(200)
    expect((await move(eve, { userCardId: furret.id, to: { binderId: binder.id, page: 2, slot: 6 } })).status).toBe(200)
    let [row] = await placesOfRow(eve, 'swsh3-136')
    expect(row.places).toEqual([
      { kind: 'slot', binderId: binder.id, binderName: 'Main binder', page: 2, slot: 5, row: 2, col: 2 },
      { kind: 'slot', binderId: binder.id, binderName: 'Main binder', page: 2, slot: 6, row: 2, col: 3 },
      { kind: 'box', boxId: other.id, boxName: 'Trade box', quantity: 2 },
    ])
    const boxes = (await eve.api<any>('/api/boxes')).boxes
    expect(boxes.map((b: any) => [b.name, b.copies])).toEqual([['Shoebox', 0], ['Trade box', 2]])
    expect((await eve.api<any>(`/api/boxes/${other.id}`)).items).toMatchObject([{ userCardId: furret.id, quantity: 2, card: { cardId: 'swsh3-136' } }])

    // Sold three: the box gives its copies up before the binder does.
    await eve.api(`/api/collection/${furret.id}`, { method: 'PATCH', json: { quantityDelta: -3 } })
    ;[row] = await placesOfRow(eve, 'swsh3-136')
    expect(row.places.map((p: any) => p.kind)).toEqual(['slot', 'slot'])
    await eve.api(`/api/collection/${furret.id}`, { method: 'PATCH', json: { quantity: 1 } })
    ;[row] = await placesOfRow(eve, 'swsh3-136')
    expect(row.places).toMatchObject([{ kind: 'slot', slot: 5 }])

    // A second kind (reverse), boxed, then changed to the first kind: merged, its places follow.
    const reverse = await add(eve, { cardId: 'swsh3-136', finish: 'reverse', quantity: 2 })
    expect((await move(eve, { userCardId: reverse.id, to: { boxId: other.id }, quantity: 2 })).status).toBe(200)
    const merged = await eve.api<any>(`/api/collection/${reverse.id}`, { method: 'PATCH', json: { finish: 'normal' } })
    expect(merged).toMatchObject({ mergedFrom: reverse.id, item: { id: furret.id, quantity: 3 } })
    ;[row] = await placesOfRow(eve, 'swsh3-136')
    expect(row.places).toMatchObject([{ kind: 'slot', slot: 5 }, { kind: 'box', boxId: other.id, quantity: 2 }])

    // Deleting a box or the row leaves nothing behind.
    expect((await eve.request(`/api/boxes/${other.id}`, { method: 'DELETE' })).status).toBe(200)
    expect((await eve.request(`/api/collection/${furret.id}`, { method: 'DELETE' })).status).toBe(200)
    expect((await view(eve, binder.id)).slots).toEqual([])
  })

  it('makes moves atomic: concurrent moves and swaps never lose, duplicate or stack a copy', async () => {
    const fay = await signUp('binder-fay')
    const binder = await newBinder(fay, { layout: '2x2', pages: 2 })
    const cards = ['sv03.5-001', 'sv03.5-004', 'sv03.5-007', 'sv03.5-025']
    const rows = await Promise.all(cards.map(cardId => add(fay, { cardId })))
    for (const [i, row] of rows.entries()) {
      expect((await move(fay, { userCardId: row.id, to: { binderId: binder.id, page: 1, slot: i + 1 } })).status).toBe(200)
    }
    // Many clients at once, each moving what it believes is in a slot to another slot (taken or free).
    let seed = 7
    const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n
    const statuses = await Promise.all(Array.from({ length: 24 }, async () => {
      const current = (await view(fay, binder.id)).slots as any[]
      const from = current[random(current.length)]
      const to = { binderId: binder.id, page: 1 + random(2), slot: 1 + random(4) }
      return (await move(fay, { userCardId: from.card.userCardId, from: { binderId: binder.id, page: from.page, slot: from.slot }, to })).status
    }))
    expect(statuses.every(s => s === 200 || s === 409), statuses.join(',')).toBe(true)
    expect(statuses.filter(s => s === 200).length).toBeGreaterThan(0)
    const after = await view(fay, binder.id)
    expect(after.slots.map((s: any) => s.card.cardId).sort()).toEqual(cards)
    expect(new Set(after.slots.map((s: any) => `${s.page}.${s.slot}`)).size).toBe(4)

    // The same copy sent to two free slots at once: one move wins, the other finds it gone.
    const free = [1, 2].flatMap(page => [1, 2, 3, 4].map(slot => ({ binderId: binder.id, page, slot })))
      .filter(s => !after.slots.some((t: any) => t.page === s.page && t.slot === s.slot))
    const mover = after.slots[0]
    const fromMover = { binderId: binder.id, page: mover.page, slot: mover.slot }
    const race = await Promise.all([free[0], free[1]].map(to => move(fay, { userCardId: mover.card.userCardId, from: fromMover, to })))
    expect(race.map(r => r.status).sort()).toEqual([200, 409])
    // Two loose copies into the same free slot at once: one gets it.
    const loose = await Promise.all(['sv03.5-010', 'sv03.5-013'].map(cardId => add(fay, { cardId })))
    const target = free[2]!
    const stack = await Promise.all(loose.map(row => move(fay, { userCardId: row.id, to: target })))
    expect(stack.map(r => r.status).sort()).toEqual([200, 409])
    expect((await view(fay, binder.id)).slots.filter((s: any) => s.page === target.page && s.slot === target.slot)).toHaveLength(1)

    // A move that fails half-way (the target slot does not exist) changes nothing.
    const now = await view(fay, binder.id)
    const before = slotsOf(now)
    const first = now.slots[0]
    expect((await move(fay, { userCardId: first.card.userCardId, from: { binderId: binder.id, page: first.page, slot: first.slot }, to: { binderId: binder.id, page: 3, slot: 1 } })).status).toBe(422)
    expect(slotsOf(await view(fay, binder.id))).toEqual(before)
  })

  it('fills a binder with a set in number order, leaving the slots of missing cards empty', async () => {
    const gus = await signUp('binder-gus')
    const binder = await newBinder(gus, { layout: '3x3', pages: 1 })
    for (const n of [1, 4, 4, 11]) await add(gus, { cardId: `2018sm-${n}` })
    const blocker = await add(gus, { cardId: 'sv03.5-025' })
    await move(gus, { userCardId: blocker.id, to: { binderId: binder.id, page: 1, slot: 3 } })
    expect((await gus.request(`/api/binders/${binder.id}/fill`, { method: 'POST', json: { setId: 'nope' } })).status).toBe(422)
    const res = await gus.api<any>(`/api/binders/${binder.id}/fill`, { method: 'POST', json: { setId: '2018sm' } })
    // Growlithe → 1, Pikachu → 4; Horsea's slot 3 is taken; Eevee (11) is past the 9th slot.
    expect(res).toEqual({ placed: 2, missing: 6, occupied: 1, didNotFit: 1 })
    const v = await view(gus, binder.id)
    expect(slotsOf(v)).toEqual(['1.1:2018sm-1', '1.3:sv03.5-025', '1.4:2018sm-4'])
    expect(v.binder).toMatchObject({ setId: '2018sm', setOffset: 0 })
    expect(v.expected.map((e: any) => e.cardId)).toEqual(Array.from({ length: 9 }, (_, i) => `2018sm-${i + 1}`))
    // Filling again places the second Pikachu nowhere (its slot is taken) and moves nothing.
    expect(await gus.api(`/api/binders/${binder.id}/fill`, { method: 'POST', json: { setId: '2018sm' } })).toEqual({ placed: 0, missing: 6, occupied: 3, didNotFit: 1 })
    const packed = await newBinder(gus, { layout: '2x2', pages: 2 })
    expect(await gus.api(`/api/binders/${packed.id}/fill`, { method: 'POST', json: { setId: '2018sm', gaps: false, startSlot: 2 } })).toEqual({ placed: 2, missing: 10, occupied: 0, didNotFit: 0 })
    expect(slotsOf(await view(gus, packed.id))).toEqual(['1.2:2018sm-4', '1.3:2018sm-11'])
  })
})

describe('scanning binder pages into their place', () => {
  const photo = (file: string) => new Uint8Array(readFileSync(join(rootDir, 'tests/fixtures', file)))
  const uploadPages = (client: Client, files: string[], query: string) => {
    const form = new FormData()
    for (const f of files) form.append('files', new Blob([photo(f)], { type: 'image/jpeg' }), f)
    return client.request(`/api/imports/batches?wait=60&${query}`, { method: 'POST', body: form })
  }
  /** The analysed batch of an upload (polled further should the machine be slower than the wait). */
  async function analysed(client: Client, res: Response) {
    expect([201, 202], `upload → ${res.status}`).toContain(res.status)
    let { batch } = await res.json()
    for (let i = 0; batch.status === 'analyzing' && i < 120; i++) {
      await new Promise(r => setTimeout(r, 1000))
      batch = await client.api(`/api/imports/batches/${batch.id}`)
    }
    return batch
  }

  it('reads each card\'s pocket from the photo, and confirming a card puts it there (or says why not)', async () => {
    const ivy = await signUp('scan-ivy')
    const joe = await signUp('scan-joe')
    const binder = await newBinder(ivy, { name: 'Scanned', layout: '2x2', pages: 2 })
    const joeBinder = await newBinder(joe, { layout: '2x2', pages: 2 })
    expect((await uploadPages(ivy, ['syn1-013.jpg'], `binderId=${joeBinder.id}&binderPage=1`)).status).toBe(404)
    expect((await uploadPages(ivy, ['syn1-013.jpg'], `binderId=${binder.id}&binderPage=3`)).status).toBe(422)
    expect((await uploadPages(ivy, ['syn1-013.jpg'], `binderId=${binder.id}`)).status).toBe(400)
    expect((await ivy.api('/api/imports/batches')).total).toBe(0)

    // Page 2's first pocket already holds a card.
    const blocker = await add(ivy, { cardId: 'sv03.5-025' })
    await move(ivy, { userCardId: blocker.id, to: { binderId: binder.id, page: 2, slot: 1 } })
    const batch = await analysed(ivy, await uploadPages(ivy, ['syn1-013.jpg', 'page-card-outline-lost.jpg'], `binderId=${binder.id}&binderPage=1`))
    const { scan } = await ivy.api<any>(`/api/imports/batches/${batch.id}/binder`)
    expect(scan).toMatchObject({ binderId: binder.id, binderName: 'Scanned', layout: '2x2', cols: 2, rows: 2, firstPage: 1 })
    expect(scan.pages.map((p: any) => [p.page, p.cells.length, p.unplaced.length])).toEqual([[1, 4, 0], [2, 4, 0]])
    expect(scan.pages[1].filled).toMatchObject([{ slot: 1, userCardId: blocker.id, card: { cardId: 'sv03.5-025' } }])
    expect((await joe.request(`/api/imports/batches/${batch.id}/binder`)).status).toBe(404)

    // The 2 × 2 page as it lies: Colhomard top left, Kirlia top right, Grimer and Cofagrigus ex below.
    const draftOf = (id: string) => batch.drafts.find((d: any) => d.id === id)
    const page1 = Object.fromEntries(scan.pages[0].cells.map((c: any) => [draftOf(c.draftId).candidates[0]?.cardId, c.slot]))
    expect(page1).toEqual({ 'ex3-3': 1, 'xy7-53': 2, 'bw4-52': 3, 'sv04-076': 4 })
    for (const cell of [...scan.pages[0].cells, ...scan.pages[1].cells]) {
      const draft = draftOf(cell.draftId)
      const pageNo = scan.pages[0].cells.includes(cell) ? 1 : 2
      // A card read too poorly for any candidate is the one the collector finds in the catalogue.
      const cardId = draft.candidates[0]?.cardId ?? 'sv02-012'
      const selected = await ivy.api<any>(`/api/imports/drafts/${draft.id}/select`, { method: 'POST', json: { cardId } })
      expect(selected.place, `page ${pageNo} slot ${cell.slot}`).toEqual(pageNo === 2 && cell.slot === 1
        ? { placed: false, reason: 'pocket-taken' }
        : { placed: true, binderId: binder.id, page: pageNo, slot: cell.slot })
      // Selecting again adds nothing and places nothing more.
      expect((await ivy.api<any>(`/api/imports/drafts/${draft.id}/select`, { method: 'POST', json: { cardId } })).place).toBeUndefined()
    }
    const v = await view(ivy, binder.id)
    expect(v.slots.filter((s: any) => s.page === 1).map((s: any) => `${s.slot}:${s.card.cardId}`)).toEqual(['1:ex3-3', '2:xy7-53', '3:bw4-52', '4:sv04-076'])
    expect(v.slots.filter((s: any) => s.page === 2)).toHaveLength(4)
    expect(v.slots.find((s: any) => s.page === 2 && s.slot === 1).card.cardId).toBe('sv03.5-025')
    // The card whose pocket was taken is in the collection, placed nowhere.
    expect((await ivy.api<any>('/api/places/unplaced')).items).toHaveLength(1)
  })

  it('leaves a plain import alone', async () => {
    const kim = await signUp('scan-kim')
    const batch = await analysed(kim, await uploadPages(kim, ['syn1-013.jpg'], ''))
    expect(await kim.api(`/api/imports/batches/${batch.id}/binder`)).toEqual({ scan: null })
    const draft = batch.drafts[0]
    const selected = await kim.api<any>(`/api/imports/drafts/${draft.id}/select`, { method: 'POST', json: { cardId: draft.candidates[0].cardId } })
    expect(selected).not.toHaveProperty('place')
  })
})

import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { credentialsSchema, passwordChangeSchema, registerSchema, tokenCreateSchema } from '../../shared/schemas/auth'
import { collectionAddSchema, collectionPatchSchema } from '../../shared/schemas/collection'
import { draftSelectSchema } from '../../shared/schemas/imports'
import { binderCreateSchema, binderFillSchema, binderPatchSchema, boxCreateSchema, boxPatchSchema, moveSchema } from '../../shared/schemas/binders'
import { currencySettingSchema } from '../../shared/schemas/prices'
import { shareCreateSchema } from '../../shared/schemas/shares'
import { wantAddSchema, wantMissingSchema, wantPatchSchema } from '../../shared/schemas/wants'
import { bodiesFor } from '../support/fuzz'
import { fetch, rootDir, setupApp, signUp, url } from '../support/app'

// Limits high enough that the fuzzing itself is not what gets refused.
setupApp({ RATE_LIMIT_LOGIN_PER_MINUTE: '100000', RATE_LIMIT_REGISTER_PER_HOUR: '100000', RATE_LIMIT_UPLOADS_PER_MINUTE: '100000' })

const RUNS = Number(process.env.FUZZ_RUNS) || 40
const NO_ROW = '00000000-0000-4000-8000-000000000000'

interface Target { rowId: string, binderId: string, boxId: string, wantId: string }
interface FuzzRoute { file: string, method: string, schema: z.ZodType, anonymous?: boolean, path: (t: Target) => string }

/** Every route that takes a body, with the schema its body is generated from. */
const ROUTES: FuzzRoute[] = [
  { file: 'auth/login.post.ts', method: 'POST', schema: credentialsSchema, anonymous: true, path: () => '/api/auth/login' },
  { file: 'auth/register.post.ts', method: 'POST', schema: registerSchema, anonymous: true, path: () => '/api/auth/register' },
  { file: 'auth/password.post.ts', method: 'POST', schema: passwordChangeSchema('fuzz@example.test'), path: () => '/api/auth/password' },
  { file: 'auth/logout.post.ts', method: 'POST', schema: z.object({}), path: () => '/api/auth/logout' },
  { file: 'auth/logout-others.post.ts', method: 'POST', schema: z.object({}), path: () => '/api/auth/logout-others' },
  { file: 'tokens/index.post.ts', method: 'POST', schema: tokenCreateSchema, path: () => '/api/tokens' },
  { file: 'collection/index.post.ts', method: 'POST', schema: collectionAddSchema, path: () => '/api/collection' },
  { file: 'collection/[id].patch.ts', method: 'PATCH', schema: collectionPatchSchema, path: t => `/api/collection/${t.rowId}` },
  { file: 'imports/drafts/[id]/select.post.ts', method: 'POST', schema: draftSelectSchema, path: () => `/api/imports/drafts/${NO_ROW}/select` },
  { file: 'imports/drafts/[id]/dismiss.post.ts', method: 'POST', schema: z.object({}), path: () => `/api/imports/drafts/${NO_ROW}/dismiss` },
  { file: 'imports/drafts/[id]/undo.post.ts', method: 'POST', schema: z.object({}), path: () => `/api/imports/drafts/${NO_ROW}/undo` },
  // Multipart routes: a JSON body must be refused cleanly all the same.
  { file: 'imports/batches/index.post.ts', method: 'POST', schema: z.object({ files: z.array(z.string()) }), path: () => '/api/imports/batches' },
  { file: 'collection/import.post.ts', method: 'POST', schema: z.object({ csv: z.string() }), path: () => '/api/collection/import' },
  { file: 'prices/currency.put.ts', method: 'PUT', schema: currencySettingSchema, path: () => '/api/prices/currency' },
  { file: 'prices/refresh.post.ts', method: 'POST', schema: z.object({}), path: () => '/api/prices/refresh' },
  // Binders, boxes, places, want list and sharing (issue 21).
  { file: 'binders/index.post.ts', method: 'POST', schema: binderCreateSchema, path: () => '/api/binders' },
  { file: 'binders/[id]/index.patch.ts', method: 'PATCH', schema: binderPatchSchema, path: t => `/api/binders/${t.binderId}` },
  { file: 'binders/[id]/fill.post.ts', method: 'POST', schema: binderFillSchema, path: t => `/api/binders/${t.binderId}/fill` },
  { file: 'boxes/index.post.ts', method: 'POST', schema: boxCreateSchema, path: () => '/api/boxes' },
  { file: 'boxes/[id].patch.ts', method: 'PATCH', schema: boxPatchSchema, path: t => `/api/boxes/${t.boxId}` },
  { file: 'places/move.post.ts', method: 'POST', schema: moveSchema, path: () => '/api/places/move' },
  { file: 'wants/index.post.ts', method: 'POST', schema: wantAddSchema, path: () => '/api/wants' },
  { file: 'wants/[id].patch.ts', method: 'PATCH', schema: wantPatchSchema, path: t => `/api/wants/${t.wantId}` },
  { file: 'wants/missing.post.ts', method: 'POST', schema: wantMissingSchema, path: () => '/api/wants/missing' },
  { file: 'shares/index.post.ts', method: 'POST', schema: shareCreateSchema, path: () => '/api/shares' },
]

/** A session that follows its cookie as the server renews or replaces it (a password change does). */
function sessionOf(cookie: string) {
  let current = cookie
  return async (path: string, init: RequestInit) => {
    const res = await fetch(path, { ...init, headers: { ...init.headers as Record<string, string>, cookie: current, origin: new URL(url('/')).origin } })
    const set = res.headers.getSetCookie().map(c => c.split(';')[0]!).filter(c => !c.endsWith('='))
    if (set.length) current = set.join('; ')
    return res
  }
}

async function expectNo500(res: Response, what: string) {
  const text = await res.text()
  expect(res.status, `${what} → ${res.status} ${text.slice(0, 300)}`).toBeLessThan(500)
  if (res.status >= 400) expect(JSON.parse(text).message, what).toEqual(expect.any(String))
}

describe('fuzzing every route\'s body (issue 18, item 12)', () => {
  it('covers every route that takes a body', () => {
    const dir = join(rootDir, 'server/api')
    const withBody = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(f => /\.(post|put|patch)\.ts$/.test(f))
    expect(withBody.sort()).toEqual(ROUTES.map(r => r.file).sort())
  })

  it.each(ROUTES.map(r => [`${r.method} ${r.file}`, r] as const))('%s never answers 500', async (_name, route) => {
    const user = await signUp('fuzz')
    const send = route.anonymous ? sessionOf('') : sessionOf(user.headers.cookie!)
    const target: Target = {
      rowId: (await user.api('/api/collection', { method: 'POST', json: { cardId: 'sv02-012', quantity: 5 } })).item.id,
      binderId: (await user.api('/api/binders', { method: 'POST', json: { name: 'Fuzz', layout: '2x2', pages: 2 } })).binder.id,
      boxId: (await user.api('/api/boxes', { method: 'POST', json: { name: 'Fuzz' } })).box.id,
      wantId: (await user.api('/api/wants', { method: 'POST', json: { cardId: 'sv02-012' } })).id,
    }
    await fc.assert(fc.asyncProperty(bodiesFor(route.schema), async (body) => {
      const res = await send(route.path(target), { method: route.method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
      await expectNo500(res, `${route.method} ${route.path(target)} ${JSON.stringify(body)?.slice(0, 200)}`)
    }), { numRuns: RUNS })
  })

  it('never answers 500 to a fuzzed CSV import', async () => {
    const user = await signUp('fuzzcsv')
    const cell = fc.oneof(fc.string({ maxLength: 30, unit: 'binary' }), fc.constantFrom('sv02-012', 'base1-4', '0', '-1', '99999', '0000-01-01', '=1+1', 'NM', 'holo', 'fr', '1e309', '"'))
    const header = fc.shuffledSubarray(['card_id', 'set_id', 'local_id', 'name', 'quantity', 'condition', 'language', 'finish', 'grader', 'grade', 'notes', 'price_paid', 'acquired_at', 'Quantity', 'Card Name', 'Set Code', 'Card Number'], { minLength: 1 })
    const csv = header.chain(cols => fc.array(fc.array(cell, { minLength: cols.length, maxLength: cols.length }), { maxLength: 8 })
      .map(rows => [cols, ...rows].map(r => r.map(c => /[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c).join(',')).join('\n')))
    await fc.assert(fc.asyncProperty(csv, fc.constantFrom('add', 'replace'), async (text, mode) => {
      const res = await user.request(`/api/collection/import?mode=${mode}`, { method: 'POST', body: text, headers: { 'content-type': 'text/csv' } })
      await expectNo500(res, `CSV ${JSON.stringify(text).slice(0, 300)}`)
    }), { numRuns: RUNS })
  })
})

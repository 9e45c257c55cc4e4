import { type Kysely, sql } from 'kysely'
import Papa from 'papaparse'
import { copyFieldsSchema, type ImportMode, MAX_QUANTITY } from '../../../shared/schemas/collection'
import { closestFinish } from '../../../shared/variants'
import { retryConflicts } from '../../database/retry'
import type { Database, NewUserCard } from '../../database/schema'
import { getUserCurrency } from '../../prices/currency'
import { fulfilWants } from '../../wants/wants'
import { CollectionError } from '../add'
import { finishForCard } from '../finish'
import { type CsvFormatId, type CsvProblemCode, detectFormat, headerKey, LineProblem, type MappedLine, mapRow, type ProblemParams } from './formats'
import { CatalogIndex } from './resolve'

export const IMPORT_MAX_BYTES = 5 * 1024 * 1024
export const IMPORT_MAX_ROWS = 50_000
/** Past this many bad lines the answer lists no more (the file is clearly not what we think). */
const MAX_REPORTED_ERRORS = 200

/** A line that cannot be imported: its English `message`, and a `code` with `params` that the UI translates. */
export interface LineError { line: number, message: string, code: CsvProblemCode, params: ProblemParams }

/** What is wrong with the file as a whole, for the UI to translate. */
export type CsvFileProblem = 'binary' | 'empty' | 'tooManyLines' | 'unreadable' | 'noHeader' | 'unknownColumns' | 'tooLarge' | 'notCsv' | 'badMode' | 'linesRejected'

export class CsvImportError extends Error {
  constructor(
    readonly statusCode: 400 | 413 | 415 | 422,
    message: string,
    readonly errors: LineError[] = [],
    readonly code: CsvFileProblem = 'linesRejected',
    readonly params: ProblemParams = {},
  ) {
    super(message)
    this.name = 'CsvImportError'
  }
}

export interface ImportResult {
  format: CsvFormatId
  mode: ImportMode
  /** CSV lines written. */
  imported: number
  /** Copies written (sum of quantities). */
  cards: number
  /** Lines with a quantity of 0 (seller exports list cards not in stock). */
  skipped: number
  /** Lines left out because they could not be imported (only with `skipInvalid`). */
  rejected: LineError[]
}

/** UTF-8 text (BOM dropped); Windows-1252 when it is not UTF-8; 415 for binary data. */
export function decodeCsvBytes(bytes: Uint8Array): string {
  if (bytes.includes(0)) throw new CsvImportError(415, 'This is not a CSV file (binary data)', [], 'binary')
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '')
  }
  catch {
    return new TextDecoder('windows-1252').decode(bytes)
  }
}

export interface CsvRecord { line: number, record: Record<string, string> }

/**
 * Header + records keyed by normalised header. `line` is the file line a record starts on (1-based,
 * the header being line 1, or 2 after Dragon Shield's `sep=,` line), quoted line breaks included.
 */
export function parseCsvText(text: string): { headers: string[], records: CsvRecord[] } {
  let body = text.replace(/^\uFEFF/, '')
  let lineOffset = 0
  let delimiter: string | undefined
  const sep = body.match(/^sep=(.)\s*?\r?\n/i)
  if (sep) {
    delimiter = sep[1]
    body = body.slice(sep[0].length)
    lineOffset = 1
  }
  if (!body.trim()) throw new CsvImportError(400, 'The CSV file is empty', [], 'empty')

  const rows: { cells: string[], line: number }[] = []
  let pos = 0
  let line = 1
  const newlinesUntil = (end: number) => {
    for (; pos < end; pos++) if (body.charCodeAt(pos) === 10) line++
  }
  let parseError: string | undefined
  Papa.parse<string[]>(body, {
    delimiter,
    skipEmptyLines: 'greedy',
    step: (result) => {
      if (result.errors.length && !parseError) parseError = result.errors[0]!.message
      // The record starts after any blank lines left since the previous one.
      let start = pos
      while (start < body.length && /[\s]/.test(body[start]!)) start++
      newlinesUntil(start)
      rows.push({ cells: result.data, line: line + lineOffset })
      newlinesUntil(result.meta.cursor)
      if (rows.length > IMPORT_MAX_ROWS + 1) throw new CsvImportError(413, `Too many lines (at most ${IMPORT_MAX_ROWS})`, [], 'tooManyLines', { max: IMPORT_MAX_ROWS })
    },
  })
  if (parseError) throw new CsvImportError(400, `This is not a readable CSV file: ${parseError}`, [], 'unreadable')
  const [header, ...data] = rows
  if (!header || header.cells.length < 2) throw new CsvImportError(400, 'This is not a CSV file with a header line', [], 'noHeader')
  const keys = header.cells.map(headerKey)
  const records = data.map(({ cells, line }) => {
    const record: Record<string, string> = {}
    keys.forEach((k, i) => {
      if (k && record[k] === undefined) record[k] = cells[i] ?? ''
    })
    return { line, record }
  })
  return { headers: header.cells, records }
}

export interface PlannedLine extends MappedLine { line: number }

/** Detects the format and maps every record; bad cells become line errors. No database involved. */
export function mapCsv(text: string): { format: CsvFormatId, lines: PlannedLine[], errors: LineError[] } {
  const { headers, records } = parseCsvText(text)
  const format = detectFormat(headers)
  if (!format) {
    const columns = headers.slice(0, 8).join(', ')
    throw new CsvImportError(400, `Unrecognised CSV columns (${columns}); expected a Poke-ventory, Cardmarket, Dragon Shield, ManaBox or TCGplayer export`, [], 'unknownColumns', { columns })
  }
  const lines: PlannedLine[] = []
  const errors: LineError[] = []
  for (const { line, record } of records) {
    try {
      lines.push({ line, ...mapRow(format, record) })
    }
    catch (error) {
      if (!(error instanceof LineProblem)) throw error
      errors.push({ line, message: error.message, code: error.code, params: error.params })
    }
  }
  return { format, lines, errors }
}

async function loadIndex(db: Kysely<Database>, lines: PlannedLine[]): Promise<CatalogIndex> {
  const sets = await db.selectFrom('sets')
    .select(['id', 'code', 'code_fr', 'tcg_online', 'name', 'printed_total'])
    .execute()
  const index = new CatalogIndex(sets.map(s => ({ id: s.id, code: s.code, codeFr: s.code_fr, tcgOnline: s.tcg_online, names: s.name, printedTotal: s.printed_total })))
  const setIds = new Set<string>()
  const cardIds = new Set<string>()
  for (const { ref } of lines) {
    if (ref.cardId) cardIds.add(ref.cardId.trim().toLowerCase())
    for (const id of index.candidateSetIds(ref)) setIds.add(id)
  }
  if (setIds.size || cardIds.size) {
    const cards = await db.selectFrom('cards')
      .select(['id', 'set_id', 'local_id', 'name', 'variants'])
      .where(eb => eb.or([
        ...(setIds.size ? [eb('set_id', 'in', [...setIds])] : []),
        ...(cardIds.size ? [eb(sql`lower(id)`, 'in', [...cardIds])] : []),
      ]))
      .execute()
    index.addCards(cards.map(c => ({ id: c.id, setId: c.set_id, localId: c.local_id, names: c.name, variants: c.variants })))
  }
  return index
}

type RowKind = Pick<NewUserCard, 'card_id' | 'condition' | 'language' | 'finish' | 'grader' | 'grade' | 'cert_number'>
/** A row's kind: copies of one kind are one row (the collection's unique index). */
const kindKey = (r: RowKind) => JSON.stringify([r.card_id, r.condition, r.language, r.finish, r.grader ?? '', r.grade ?? '', r.cert_number ?? ''])
const identityKey = (cardId: string, finish: string, l: MappedLine) =>
  kindKey({ card_id: cardId, condition: l.condition, language: l.language, finish: finish as RowKind['finish'], grader: l.grader, grade: l.grade, cert_number: l.certNumber })

type PlannedRow = NewUserCard & { lines: number[] }

interface ImportPlan {
  format: CsvFormatId
  rows: Map<string, PlannedRow>
  errors: LineError[]
  skipped: number
}

/** Maps every line and matches it to a catalogue card, grouping same-kind lines as POST does; nothing is written. */
async function planImport(db: Kysely<Database>, userId: string, text: string): Promise<ImportPlan> {
  const { format, lines, errors } = mapCsv(text)
  const index = await loadIndex(db, lines)
  // A price written without a currency is taken to be in the currency the user values the collection in.
  const currency = await getUserCurrency(db, userId)

  const rows = new Map<string, PlannedRow>()
  let skipped = 0
  for (const line of lines) {
    if (line.quantity === 0) {
      skipped++
      continue
    }
    const resolution = index.resolve(line.ref)
    if ('error' in resolution) {
      errors.push({ line: line.line, message: resolution.error, code: resolution.code, params: resolution.params })
      continue
    }
    // The same length and range rules as POST /api/collection.
    const checked = copyFieldsSchema.safeParse(line)
    if (!checked.success) {
      const issue = checked.error.issues[0]!
      const field = issue.path.join('.')
      errors.push({ line: line.line, message: `${field}: ${issue.message}`, code: 'invalidField', params: { field } })
      continue
    }
    const c = checked.data
    // A copy's finish is one of its card's variants; other apps' loose "Foil" goes to the card's shiny one.
    let finish
    try {
      finish = finishForCard({ id: resolution.cardId, variants: resolution.variants }, c.finish && format !== 'pokeventory' ? closestFinish(c.finish, resolution.variants) : c.finish)
    }
    catch (error) {
      if (!(error instanceof CollectionError)) throw error
      errors.push({ line: line.line, message: error.message, code: 'finishNotOfCard', params: { finish: c.finish ?? '', card: resolution.cardId } })
      continue
    }
    const key = identityKey(resolution.cardId, finish, line)
    const existing = rows.get(key)
    if (existing) {
      existing.quantity += c.quantity
      existing.lines.push(line.line)
      existing.location ??= c.location
      existing.notes ??= c.notes
      if (existing.price_paid === null && c.pricePaid !== null) {
        existing.price_paid = c.pricePaid
        existing.price_paid_currency = c.pricePaidCurrency ?? currency
      }
      existing.acquired_at ??= c.acquiredAt
      if (existing.quantity > MAX_QUANTITY) errors.push({ line: line.line, message: `More than ${MAX_QUANTITY} copies of ${resolution.cardId} of this kind`, code: 'tooMany', params: { card: resolution.cardId, max: MAX_QUANTITY } })
      continue
    }
    rows.set(key, {
      user_id: userId,
      card_id: resolution.cardId,
      quantity: c.quantity,
      condition: c.condition,
      language: c.language,
      finish,
      grader: c.grader,
      grade: c.grade,
      cert_number: c.certNumber,
      location: c.location,
      notes: c.notes,
      price_paid: c.pricePaid,
      price_paid_currency: c.pricePaid === null ? null : c.pricePaidCurrency ?? currency,
      acquired_at: c.acquiredAt,
      lines: [line.line],
    })
  }
  if (!errors.length && !rows.size) errors.push({ line: 1, message: 'The file lists no cards', code: 'noCards', params: {} })
  errors.sort((a, b) => a.line - b.line)
  return { format, rows, errors, skipped }
}

/** A line count and the copies on those lines. */
export interface LineTally { lines: number, cards: number }

export interface ImportPreview {
  format: CsvFormatId
  mode: ImportMode
  /** Lines that become new rows of the collection. */
  added: LineTally
  /** Lines whose copies join a row the collection already has (same card, condition, language, finish, grading). */
  merged: LineTally
  /** What `replace` would remove first (the whole collection); zero in `add` mode. */
  removed: { rows: number, cards: number }
  /** Lines that cannot be imported, with their reasons (at most 200 listed; `rejectedCount` counts them all). */
  rejected: LineError[]
  rejectedCount: number
  /** Lines with a quantity of 0. */
  skipped: number
}

const tally = (rows: PlannedRow[]): LineTally => ({ lines: rows.reduce((n, r) => n + r.lines.length, 0), cards: rows.reduce((n, r) => n + r.quantity, 0) })

/**
 * What importing this file would do, written nowhere: the lines added as new rows, those merged into
 * rows the collection has, those rejected and why; in `replace` mode, what would be removed first.
 */
export async function previewCollectionCsv(db: Kysely<Database>, userId: string, text: string, mode: ImportMode = 'add'): Promise<ImportPreview> {
  const plan = await planImport(db, userId, text)
  const rows = [...plan.rows.values()]
  const owned = mode === 'replace' || !rows.length
    ? new Set<string>()
    : new Set((await db.selectFrom('user_cards')
        .select(['card_id', 'condition', 'language', 'finish', 'grader', 'grade', 'cert_number'])
        .where('user_id', '=', userId).where('card_id', 'in', [...new Set(rows.map(r => r.card_id))])
        .execute()).map(kindKey))
  const current = mode === 'replace'
    ? await db.selectFrom('user_cards').where('user_id', '=', userId)
        .select([sql<number>`count(*)::int`.as('rows'), sql<number>`coalesce(sum(quantity), 0)::int`.as('cards')]).executeTakeFirstOrThrow()
    : { rows: 0, cards: 0 }
  const [merged, added] = [rows.filter(r => owned.has(kindKey(r))), rows.filter(r => !owned.has(kindKey(r)))]
  return {
    format: plan.format,
    mode,
    added: tally(added),
    merged: tally(merged),
    removed: current,
    rejected: plan.errors.slice(0, MAX_REPORTED_ERRORS),
    rejectedCount: plan.errors.length,
    skipped: plan.skipped,
  }
}

/**
 * Imports a CSV into the user's collection, all or nothing: every line is mapped and matched to a
 * catalogue card first; any failure → CsvImportError(422) listing the lines, nothing written — unless
 * `skipInvalid`, which imports the other lines and reports the rejected ones. Then one transaction adds
 * the copies (same-kind lines add up, as POST does), after deleting everything the user had in
 * `replace` mode.
 */
export async function importCollectionCsv(db: Kysely<Database>, userId: string, text: string, mode: ImportMode = 'add', options: { skipInvalid?: boolean } = {}): Promise<ImportResult> {
  const { format, rows, errors, skipped } = await planImport(db, userId, text)
  if (errors.length && (!options.skipInvalid || !rows.size)) throw failed(errors)

  // A concurrent edit that merges rows locks them in another order: Postgres ends one of the two
  // transactions (deadlock), and this one runs again.
  await retryConflicts(() => db.transaction().execute(async (trx) => {
    if (mode === 'replace') await trx.deleteFrom('user_cards').where('user_id', '=', userId).execute()
    const all = [...rows.values()]
    for (let i = 0; i < all.length; i += 500) {
      const batch = all.slice(i, i + 500)
      const written = await trx.insertInto('user_cards')
        .values(batch.map(({ lines: _, ...row }) => row))
        .onConflict(oc => oc
          .expression(sql`user_id, card_id, condition, language, finish, coalesce(grader, ''), coalesce(grade, ''), coalesce(cert_number, '')`)
          // A row changed here is a new version: an edit made from the old one gets its 409.
          .doUpdateSet({ quantity: sql`user_cards.quantity + excluded.quantity`, version: sql`user_cards.version + 1`, updated_at: sql`now()` })
          .where(sql<boolean>`user_cards.quantity + excluded.quantity <= ${MAX_QUANTITY}`))
        .returning(['card_id', 'condition', 'language', 'finish', 'grader', 'grade', 'cert_number'])
        .execute()
      if (written.length < batch.length) {
        // Rows the conflict guard refused: the collection already holds too many of that kind.
        const done = new Set(written.map(w => JSON.stringify([w.card_id, w.condition, w.language, w.finish, w.grader ?? '', w.grade ?? '', w.cert_number ?? ''])))
        const over = batch.filter(r => !done.has(JSON.stringify([r.card_id, r.condition, r.language, r.finish, r.grader ?? '', r.grade ?? '', r.cert_number ?? ''])))
        throw failed(over.map(r => ({ line: r.lines[0]!, message: `Your collection would hold more than ${MAX_QUANTITY} copies of ${r.card_id} of this kind`, code: 'tooMany' as const, params: { card: r.card_id, max: MAX_QUANTITY } })))
      }
    }
    // The copies imported come off the want list, as added ones do.
    const wanted = new Set((await trx.selectFrom('wants').select('card_id').where('user_id', '=', userId).execute()).map(w => w.card_id))
    for (const row of all) if (wanted.has(row.card_id)) await fulfilWants(trx, userId, row.card_id, row.finish, row.quantity)
  }))

  const all = [...rows.values()]
  return {
    format,
    mode,
    imported: all.reduce((n, r) => n + r.lines.length, 0),
    cards: all.reduce((n, r) => n + r.quantity, 0),
    skipped,
    rejected: errors.slice(0, MAX_REPORTED_ERRORS),
  }
}

function failed(errors: LineError[]): CsvImportError {
  errors.sort((a, b) => a.line - b.line)
  const message = errors.length === 1
    ? `Line ${errors[0]!.line}: ${errors[0]!.message}. Nothing was imported.`
    : `${errors.length} lines cannot be imported. Nothing was imported.`
  return new CsvImportError(422, message, errors.slice(0, MAX_REPORTED_ERRORS))
}

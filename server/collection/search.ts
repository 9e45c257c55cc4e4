import { type RawBuilder, type SqlBool, sql } from 'kysely'
import { escapeLike, looksLikeSetToken, parseSearchQuery } from '../catalog/query'
import { foldText } from '../catalog/source'

// Accented letters folded in SQL the way foldText folds them in JS (lower() alone leaves `É` as it is
// under the C collation PGlite uses). Set names have no folded column of their own.
const ACCENTED = 'ÀÂÄÁÃÅàâäáãåÇçÉÈÊËéèêëÍÌÎÏíìîïÑñÓÒÔÖÕóòôöõÚÙÛÜúùûüÝýÿ'
const PLAIN = 'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYyy'
// Every language's set name, folded, its words between single spaces (and one space before the first).
const foldedSetNames = sql`' ' || regexp_replace(lower(translate((select string_agg(value, ' ') from jsonb_each_text(s.name)), ${ACCENTED}, ${PLAIN})), '[^a-z0-9]+', ' ', 'g')`

const or = (parts: RawBuilder<SqlBool>[]) => sql<SqlBool>`(${sql.join(parts, sql` or `)})`
const and = (parts: RawBuilder<SqlBool>[]) => (parts.length ? sql<SqlBool>`(${sql.join(parts, sql` and `)})` : sql<SqlBool>`true`)

/** The set is the one a code names: its printed code (`PAL`), French code, TCG Online code or id. */
function setCodeIs(code: string): RawBuilder<SqlBool> {
  const upper = code.toUpperCase()
  return sql<SqlBool>`(upper(s.code) = ${upper} or upper(s.code_fr) = ${upper} or upper(s.tcg_online) = ${upper} or upper(s.id) = ${upper})`
}

/**
 * One word of the query: in the card's names (any language), at the start of a word of its set's names
 * (`prism` finds Évolutions Prismatiques, `pre` does not find Zénith Suprême), or its set's code.
 */
function wordMatches(word: string): RawBuilder<SqlBool> {
  const parts = [sql<SqlBool>`c.search_text like ${`%${escapeLike(word)}%`}`, sql<SqlBool>`${foldedSetNames} like ${`% ${escapeLike(word)}%`}`]
  if (looksLikeSetToken(word)) parts.push(setCodeIs(word))
  return or(parts)
}

const words = (text: string | undefined) => foldText(text ?? '').split(/[^\p{L}\p{N}]+/u).filter(Boolean)

/**
 * The collection search box, read as the catalogue search reads it (catalog/query.ts): a card id; a
 * collector number (`193`, `SV72`, `GG10`) with its printed total (`193/189`) and set code (`PAL 012`);
 * and words, each found in the card's names (any language), its set's names (`Évolutions Prismatiques`)
 * or its set's code. Else the whole text as words, so "Mew 25" still finds Mew.
 */
export function collectionSearch(q: string): RawBuilder<SqlBool> {
  const parsed = parseSearchQuery(q)
  const id = sql<SqlBool>`lower(c.id) = ${q.trim().toLowerCase()}`
  if (parsed.cardId) return id

  const asWords = and(words(parsed.text).map(wordMatches))
  if (parsed.number === undefined) return or([id, asWords])

  const structured: RawBuilder<SqlBool>[] = [
    sql<SqlBool>`c.number = ${parsed.number}`,
    sql<SqlBool>`upper(substring(c.local_id from '^[A-Za-z]*')) = ${parsed.localPrefix ?? ''}`,
  ]
  if (parsed.printedTotal !== undefined) structured.push(sql<SqlBool>`s.printed_total = ${parsed.printedTotal}`)
  // A set code no set has is a name word after all ("MEW 151" and "Mew 25" look alike).
  if (parsed.setCode) structured.push(or([setCodeIs(parsed.setCode), wordMatches(foldText(parsed.setCode))]))
  structured.push(...words(parsed.name).map(wordMatches))
  return or([id, and(structured), asWords])
}

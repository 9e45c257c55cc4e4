import { describe, expect, it } from 'vitest'
import { inspectJson, MAX_JSON_DEPTH } from '../../../server/security/json-shape'

describe('inspectJson', () => {
  it('walks a body nested 100,000 deep without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)
    expect(inspectJson(deep).tooDeep).toBe(true)
    const objects = JSON.parse(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`)
    expect(inspectJson(objects).tooDeep).toBe(true)
  })

  it('accepts ordinary bodies up to the depth limit', () => {
    let value: unknown = 'x'
    for (let i = 0; i < MAX_JSON_DEPTH; i++) value = [value]
    expect(inspectJson(value)).toEqual({ tooDeep: false, hasNul: false })
    expect(inspectJson([value]).tooDeep).toBe(true)
    expect(inspectJson({ cardId: 'sv02-012', quantity: 2, notes: null })).toEqual({ tooDeep: false, hasNul: false })
  })

  it('finds NUL in strings and keys', () => {
    expect(inspectJson({ notes: 'a\0b' }).hasNul).toBe(true)
    expect(inspectJson({ 'a\0': 1 }).hasNul).toBe(true)
    expect(inspectJson([1, [2, ['\0']]]).hasNul).toBe(true)
  })
})

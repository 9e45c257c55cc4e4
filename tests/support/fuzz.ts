import fc from 'fast-check'
import { z } from 'zod'

/** The parts of a JSON Schema (as zod writes them) that the generator reads. */
interface JsonSchema {
  type?: string
  enum?: unknown[]
  anyOf?: JsonSchema[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  format?: string
}

// Values that broke servers before: dates Postgres cannot hold, NUL, bidi and lone surrogates,
// numbers past int4/float limits, SQL and markup, a long string.
const hostileStrings = fc.constantFrom('', ' ', '0000-01-01', '9999-12-31', '2024-02-30', '1900-01-01', '\u0000', '\u202Etxt.exe', '\uD800', 'NaN', '-0', '1e309', '<script>alert(1)</script>', '\' or 1=1--', 'x'.repeat(5000), '𝔭𝔬𝔨é')
const hostileNumbers = fc.constantFrom(0, -1, -0, 0.5, 1e308, -1e308, 2 ** 31, 2 ** 53 + 2, Number.MAX_VALUE, 1e-320)
const anyJson = fc.jsonValue({ maxDepth: 3 })

function validFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum)
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map(near))
  switch (schema.type) {
    case 'object': {
      const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, near(v)]))
      const record = fc.record(properties, { requiredKeys: schema.required ?? [] })
      // Now and then an unknown key too.
      return fc.tuple(record, fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 1 }), fc.boolean())
        .map(([known, extra, withExtra]) => withExtra ? { ...extra, ...known } : known)
    }
    case 'string':
      if (schema.format === 'date') return fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }).map(d => d.toISOString().slice(0, 10))
      if (schema.format === 'email') return fc.emailAddress()
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min((schema.maxLength ?? 60) + 2, 300), unit: 'binary' })
    case 'integer':
      return fc.integer({ min: Math.max((schema.minimum ?? -1e6) - 2, -(2 ** 31)), max: Math.min((schema.maximum ?? 1e6) + 2, 2 ** 31) })
    case 'number':
      return fc.double({ min: (schema.minimum ?? -1e6) - 1, max: (schema.maximum ?? 1e6) + 1, noNaN: true })
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    default:
      return anyJson
  }
}

/** Mostly values the schema allows (or nearly), sometimes hostile ones of any type. */
function near(schema: JsonSchema): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: validFor(schema) },
    { weight: 1, arbitrary: hostileStrings },
    { weight: 1, arbitrary: hostileNumbers },
    { weight: 1, arbitrary: anyJson },
  )
}

/** Request bodies for a route, generated from its zod schema (as the client would see its input). */
export function bodiesFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema
  return fc.oneof({ weight: 9, arbitrary: validFor(json) }, { weight: 1, arbitrary: anyJson })
}

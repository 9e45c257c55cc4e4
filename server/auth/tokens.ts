import { createHash, randomBytes } from 'node:crypto'

export const TOKEN_PREFIX = 'pkv_'

/** A new personal API token: the secret shown once, and what is stored. */
export function generateApiToken(): { token: string, hash: string, prefix: string } {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url')
  return { token, hash: hashApiToken(token), prefix: token.slice(0, TOKEN_PREFIX.length + 6) }
}

/** Tokens carry 256 random bits, so a plain SHA-256 is a safe way to keep them at rest. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | undefined | null): string | null {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i)
  return match?.[1] ?? null
}

/**
 * How many reverse proxies in front of the app may be believed about the client (`X-Forwarded-*`):
 * `TRUST_PROXY=true` is one, a number is that many, anything else none.
 */
export function trustedProxyHops(value = process.env.TRUST_PROXY): number {
  if (!value) return 0
  if (value.trim().toLowerCase() === 'true') return 1
  const hops = Number(value)
  return Number.isInteger(hops) && hops > 0 ? Math.min(hops, 10) : 0
}

/**
 * The client's address: each trusted proxy appends the address it received the request from to
 * `X-Forwarded-For`, so the client is the entry `hops` from the right. Entries further left were
 * written by the client itself and prove nothing.
 */
export function clientAddress(remote: string | undefined, forwardedFor: string | undefined, hops: number): string {
  if (hops > 0 && forwardedFor) {
    const entries = forwardedFor.split(',').map(e => e.trim()).filter(Boolean)
    const entry = entries[Math.max(0, entries.length - hops)]
    if (entry) return entry
  }
  return remote ?? 'unknown'
}

/** The value a trusted proxy set for a single-valued header (`X-Forwarded-Proto`/`-Host`): its last entry. */
export function forwardedValue(header: string | undefined): string | undefined {
  const last = header?.split(',').at(-1)?.trim()
  return last || undefined
}

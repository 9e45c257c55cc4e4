/**
 * Whether a state-changing request may have come from a page of another site (CSRF). Browsers
 * send `Origin` on every cross-site POST and `Sec-Fetch-Site` on all requests; a request whose
 * source differs from this server in scheme or host is refused. Clients that carry no cookie
 * (scripts) send neither header and pass.
 */
export function isCrossSiteRequest(headers: {
  /** `https:` or `http:`, as this server was reached. */
  protocol: string
  host: string | undefined
  origin: string | undefined
  referer: string | undefined
  secFetchSite: string | undefined
}): boolean {
  if (headers.secFetchSite === 'cross-site') return true
  const source = headers.origin ?? headers.referer
  if (!source) return false
  if (source === 'null') return true
  let url: URL
  try {
    url = new URL(source)
  }
  catch {
    return true
  }
  const protocol = headers.protocol.endsWith(':') ? headers.protocol : `${headers.protocol}:`
  return !headers.host || url.host.toLowerCase() !== headers.host.toLowerCase() || url.protocol !== protocol.toLowerCase()
}

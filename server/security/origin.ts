/**
 * Whether a state-changing request may have come from a page of another site (CSRF). Browsers
 * send `Origin` on every cross-site POST and `Sec-Fetch-Site` on all requests; clients that carry
 * no cookie (API tokens, scripts) are not at risk and pass.
 */
export function isCrossSiteRequest(headers: {
  host: string | undefined
  origin: string | undefined
  referer: string | undefined
  secFetchSite: string | undefined
}): boolean {
  if (headers.secFetchSite === 'cross-site') return true
  const source = headers.origin ?? headers.referer
  if (!source) return false
  if (source === 'null') return true
  let sourceHost: string
  try {
    sourceHost = new URL(source).host
  }
  catch {
    return true
  }
  return !headers.host || sourceHost.toLowerCase() !== headers.host.toLowerCase()
}

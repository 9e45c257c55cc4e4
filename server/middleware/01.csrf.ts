import { isCrossSiteRequest } from '../security/origin'
import { canonicalPath } from '../security/paths'
import { requestHost, requestProtocol } from '../security/request'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Refuses state-changing API requests sent by pages of another site (the session cookie is ambient).
 * Only a request that a valid API token authenticates skips the check: a bad or malformed
 * `Authorization` header does not, whatever the route then does with it.
 */
export default defineEventHandler(async (event) => {
  if (SAFE_METHODS.has(event.method) || !canonicalPath(event.path).startsWith('/api/')) return
  if (getHeader(event, 'authorization') && await requireUser(event).then(() => true, () => false)) return
  const crossSite = isCrossSiteRequest({
    protocol: requestProtocol(event),
    host: requestHost(event),
    origin: getHeader(event, 'origin'),
    referer: getHeader(event, 'referer'),
    secFetchSite: getHeader(event, 'sec-fetch-site'),
  })
  if (crossSite) throw createError({ statusCode: 403, message: 'Cross-site request refused' })
})

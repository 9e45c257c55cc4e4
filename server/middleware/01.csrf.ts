import { isCrossSiteRequest } from '../security/origin'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Refuses state-changing API requests sent by pages of another site (the session cookie is ambient). */
export default defineEventHandler((event) => {
  if (SAFE_METHODS.has(event.method) || !event.path.startsWith('/api/')) return
  if (getHeader(event, 'authorization')?.toLowerCase().startsWith('bearer ')) return
  const crossSite = isCrossSiteRequest({
    host: getRequestHost(event, { xForwardedHost: true }),
    origin: getHeader(event, 'origin'),
    referer: getHeader(event, 'referer'),
    secFetchSite: getHeader(event, 'sec-fetch-site'),
  })
  if (crossSite) throw createError({ statusCode: 403, message: 'Cross-site request refused' })
})

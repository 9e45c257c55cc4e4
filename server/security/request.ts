import { getRequestHeader, getRequestHost, getRequestIP, getRequestProtocol, type H3Event } from 'h3'
import { clientAddress, forwardedValue, trustedProxyHops } from './proxy'

// What the request says about itself, believing `X-Forwarded-*` only from trusted proxies (TRUST_PROXY).

export function requestProtocol(event: H3Event): string {
  const forwarded = trustedProxyHops() ? forwardedValue(getRequestHeader(event, 'x-forwarded-proto')) : undefined
  if (forwarded) return forwarded.toLowerCase() === 'https' ? 'https' : 'http'
  return getRequestProtocol(event, { xForwardedProto: false })
}

export function requestHost(event: H3Event): string | undefined {
  const forwarded = trustedProxyHops() ? forwardedValue(getRequestHeader(event, 'x-forwarded-host')) : undefined
  return forwarded ?? (getRequestHost(event, { xForwardedHost: false }) || undefined)
}

export function requestClientAddress(event: H3Event): string {
  return clientAddress(getRequestIP(event), getRequestHeader(event, 'x-forwarded-for'), trustedProxyHops())
}

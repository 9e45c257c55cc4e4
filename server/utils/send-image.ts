import type { H3Event } from 'h3'

/** Answers stored image bytes with their sniffed type; never sniffed again by the browser, never shared by caches. */
export function sendImageBytes(event: H3Event, image: { bytes: Buffer, contentType: string }, maxAgeSeconds: number, immutable = false) {
  setResponseHeaders(event, {
    'content-type': image.contentType,
    'content-length': image.bytes.length,
    'cache-control': `private, max-age=${maxAgeSeconds}${immutable ? ', immutable' : ''}`,
    'x-content-type-options': 'nosniff',
  })
  return image.bytes
}

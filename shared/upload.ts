/**
 * What the browser does to a photo before uploading it (issue 17), shared with the server's
 * benchmark (`bench:recognition -- --client-resize`) so both use the same numbers: a photo whose
 * long side exceeds CLIENT_RESIZE_MAX_SIDE is scaled down to it and re-encoded as JPEG at
 * CLIENT_JPEG_QUALITY; smaller photos are sent as they are.
 */
export const CLIENT_RESIZE_MAX_SIDE = 4000
/** JPEG quality of a resized photo, as the canvas API takes it (0–1). */
export const CLIENT_JPEG_QUALITY = 0.92

/** The size a photo is sent at: unchanged up to the limit, else its long side at the limit. */
export function clientResizeTarget(width: number, height: number): { width: number, height: number, resized: boolean } {
  const long = Math.max(width, height)
  if (long <= CLIENT_RESIZE_MAX_SIDE) return { width, height, resized: false }
  const scale = CLIENT_RESIZE_MAX_SIDE / long
  return { width: Math.round(width * scale), height: Math.round(height * scale), resized: true }
}

/**
 * What the browser does to a photo before uploading it. Recognition needs the photo's full detail
 * (a 9-card binder page read 9/9 from the original, 5/9 once shrunk to 2000 px), so the page sends
 * the original file and resizes only what is larger than the server uses: a long side above
 * CLIENT_RESIZE_MAX_LONG_SIDE, scaled down to it and re-encoded as JPEG at CLIENT_RESIZE_JPEG_QUALITY
 * (EXIF orientation applied to the pixels, since the re-encoded file carries no EXIF).
 * `bench:recognition --client-resize` applies the same rule.
 */
export const CLIENT_RESIZE_MAX_LONG_SIDE = 4000
/** JPEG quality of a resized photo, as the canvas API takes it (0–1). */
export const CLIENT_RESIZE_JPEG_QUALITY = 0.92

/** The size a photo is sent at: unchanged up to the limit, else its long side at the limit. */
export function clientResizeTarget(width: number, height: number): { width: number, height: number, resized: boolean } {
  const long = Math.max(width, height)
  if (long <= CLIENT_RESIZE_MAX_LONG_SIDE) return { width, height, resized: false }
  const scale = CLIENT_RESIZE_MAX_LONG_SIDE / long
  return { width: Math.round(width * scale), height: Math.round(height * scale), resized: true }
}

/**
 * Whether the page re-encodes a photo before sending it: only when its long side is over the limit,
 * or when the file is over the server's byte limit (re-encoding usually brings it under). Anything
 * else goes byte for byte as the camera wrote it.
 */
export function needsClientResize(photo: { width: number, height: number, bytes: number }, maxFileBytes: number): boolean {
  return clientResizeTarget(photo.width, photo.height).resized || photo.bytes > maxFileBytes
}

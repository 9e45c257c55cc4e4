import { describe, expect, it } from 'vitest'
import { CLIENT_RESIZE_JPEG_QUALITY, CLIENT_RESIZE_MAX_LONG_SIDE, clientResizeTarget, needsClientResize } from '../../../shared/upload'

const MB = 1024 * 1024

describe('client resize rule', () => {
  it('is a long side of 4000 px at JPEG quality 0.92', () => {
    expect(CLIENT_RESIZE_MAX_LONG_SIDE).toBe(4000)
    expect(CLIENT_RESIZE_JPEG_QUALITY).toBe(0.92)
  })

  it('leaves photos up to the limit as they are', () => {
    expect(clientResizeTarget(4000, 3000)).toEqual({ width: 4000, height: 3000, resized: false })
    expect(clientResizeTarget(1200, 1600)).toEqual({ width: 1200, height: 1600, resized: false })
  })

  it('brings a larger photo\'s long side to the limit, keeping its shape', () => {
    expect(clientResizeTarget(8160, 6120)).toEqual({ width: 4000, height: 3000, resized: true })
    expect(clientResizeTarget(3000, 6000)).toEqual({ width: 2000, height: 4000, resized: true })
  })

  it('re-encodes only what is over the long side or over the byte limit', () => {
    expect(needsClientResize({ width: 4000, height: 3000, bytes: 6 * MB }, 15 * MB)).toBe(false)
    expect(needsClientResize({ width: 4032, height: 3024, bytes: 3 * MB }, 15 * MB)).toBe(true)
    expect(needsClientResize({ width: 3000, height: 2000, bytes: 16 * MB }, 15 * MB)).toBe(true)
  })
})

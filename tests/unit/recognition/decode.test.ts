import { crc32 } from 'node:zlib'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { decodePhoto, sniffImageType } from '../../../server/recognition/decode'
import { InvalidImageError } from '../../../server/recognition/types'

const image = (format: 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif', width = 40, height = 30) =>
  sharp({ create: { width, height, channels: 3, background: '#c33' } }).toFormat(format).toBuffer()

describe('sniffImageType', () => {
  it('recognises images by their magic bytes', async () => {
    expect(sniffImageType(await image('jpeg'))).toBe('image/jpeg')
    expect(sniffImageType(await image('png'))).toBe('image/png')
    expect(sniffImageType(await image('webp'))).toBe('image/webp')
    expect(sniffImageType(await image('gif'))).toBe('image/gif')
    expect(sniffImageType(await image('tiff'))).toBe('image/tiff')
    expect(sniffImageType(await image('avif'))).toBe('image/avif')
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(16)])
    expect(sniffImageType(heic)).toBe('image/heic')
  })

  it('refuses what is not an image, whatever it is called', () => {
    expect(sniffImageType(Buffer.from('%PDF-1.7 not a photo at all'))).toBeNull()
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull()
    expect(sniffImageType(Buffer.alloc(4))).toBeNull()
  })
})

describe('decodePhoto', () => {
  it('applies EXIF orientation and makes a small working copy', async () => {
    const rotated = await sharp({ create: { width: 3000, height: 1000, channels: 3, background: '#fff' } })
      .jpeg().withMetadata({ orientation: 6 }).toBuffer()
    const photo = await decodePhoto(rotated, 60_000_000)
    expect([photo.width, photo.height]).toEqual([1000, 3000])
    expect(Math.max(photo.small.width, photo.small.height)).toBeLessThanOrEqual(1000)
    expect(photo.rgb.length).toBe(1000 * 3000 * 3)
  })

  it('answers 415 for non-images, 413 for too many pixels, 422 for corrupt bytes', async () => {
    await expect(decodePhoto(Buffer.from('hello, not an image at all'), 1e6)).rejects.toMatchObject({ statusCode: 415 })
    // A small file that claims 20 000 × 20 000 px: refused from its header, never decoded.
    const bomb = Buffer.from(await image('png', 10, 10))
    bomb.writeUInt32BE(20_000, 16)
    bomb.writeUInt32BE(20_000, 20)
    bomb.writeUInt32BE(crc32(bomb.subarray(12, 29)), 29)
    await expect(decodePhoto(bomb, 60_000_000)).rejects.toMatchObject({ statusCode: 413 })
    const jpeg = await image('jpeg', 400, 300)
    const truncated = jpeg.subarray(0, Math.floor(jpeg.length / 2))
    const error = await decodePhoto(truncated, 1e8).catch(e => e)
    expect(error).toBeInstanceOf(InvalidImageError)
    expect(error.statusCode).toBe(422)
    const garbage = Buffer.concat([Buffer.from([0xFF, 0xD8, 0xFF, 0xE0]), Buffer.alloc(200, 7)])
    await expect(decodePhoto(garbage, 1e8)).rejects.toMatchObject({ statusCode: 422 })
  })
})

import { describe, expect, it } from 'vitest'
import { ImportError } from '../../../server/imports/errors'
import { checkContentLength, cleanFilename, maxUploadBodyBytes, type UploadPart, validateUpload } from '../../../server/imports/upload'

const limits = { maxFiles: 3, maxFileBytes: 1000 }
const JPEG = Buffer.from([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10])
// A stand-in for recognition's sniffImageType: the JPEG magic bytes only.
const sniff = (b: Buffer) => (b[0] === 0xFF && b[1] === 0xD8 && b[2] === 0xFF ? 'image/jpeg' : null)
const part = (data: Buffer, filename = 'card.jpg', name = 'files'): UploadPart => ({ name, filename, type: 'image/jpeg', data })

function refusal(fn: () => unknown): ImportError {
  try {
    fn()
  }
  catch (error) {
    if (error instanceof ImportError) return error
    throw error
  }
  throw new Error('expected an ImportError')
}

describe('validateUpload', () => {
  it('accepts images by their bytes and keeps the sniffed type, not the declared one', () => {
    const photos = validateUpload([{ ...part(JPEG, 'a.png'), type: 'image/png' }, part(JPEG, 'b.jpg')], limits, sniff)
    expect(photos.map(p => [p.filename, p.contentType, p.bytes.length])).toEqual([['a.png', 'image/jpeg', 6], ['b.jpg', 'image/jpeg', 6]])
  })

  it('answers 400 when there is no file (none, only other fields, or an empty file input)', () => {
    expect(refusal(() => validateUpload(undefined, limits, sniff)).statusCode).toBe(400)
    expect(refusal(() => validateUpload([part(JPEG, 'x.jpg', 'note')], limits, sniff)).statusCode).toBe(400)
    expect(refusal(() => validateUpload([part(Buffer.alloc(0), '')], limits, sniff)).message).toMatch(/field "files"/)
  })

  it('answers 413 for too many files, before looking at any of them', () => {
    const error = refusal(() => validateUpload([part(JPEG), part(JPEG), part(JPEG), part(Buffer.from('text'))], limits, sniff))
    expect(error.statusCode).toBe(413)
    expect(error.message).toMatch(/4 sent, at most 3/)
  })

  it('answers 413 naming the file that is over the size limit', () => {
    const big = Buffer.concat([JPEG, Buffer.alloc(1000)])
    const error = refusal(() => validateUpload([part(JPEG), part(big, 'huge.jpg')], limits, sniff))
    expect(error.statusCode).toBe(413)
    expect(error.message).toMatch(/huge\.jpg is too large/)
  })

  it('answers 415 for a file that is not an image whatever its name, refusing the whole upload', () => {
    const error = refusal(() => validateUpload([part(JPEG), part(Buffer.from('hello, I am text'), 'fake.jpg')], limits, sniff))
    expect(error.statusCode).toBe(415)
    expect(error.message).toMatch(/fake\.jpg is not an image/)
    expect(refusal(() => validateUpload([part(Buffer.alloc(0), 'empty.jpg')], limits, sniff)).statusCode).toBe(415)
  })
})

describe('request size', () => {
  it('refuses a declared body no valid upload can reach, and lets others through', () => {
    expect(() => checkContentLength(String(maxUploadBodyBytes(limits)), limits)).not.toThrow()
    expect(() => checkContentLength(undefined, limits)).not.toThrow()
    expect(refusal(() => checkContentLength(String(maxUploadBodyBytes(limits) + 1), limits)).statusCode).toBe(413)
  })
})

describe('cleanFilename', () => {
  it('drops directories and control characters', () => {
    expect(cleanFilename('C:\\photos\\binder page.jpg')).toBe('binder page.jpg')
    expect(cleanFilename('../../etc/passwd')).toBe('passwd')
    expect(cleanFilename('a\u0000b\nc.jpg')).toBe('abc.jpg')
    expect(cleanFilename('')).toBeNull()
    expect(cleanFilename(undefined)).toBeNull()
    expect(cleanFilename('x'.repeat(400))!.length).toBe(255)
  })
})

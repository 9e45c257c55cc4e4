import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { createOcrPool, PSM } from '../../../server/recognition/ocr-pool'

const pool = createOcrPool({ size: 1 })
afterAll(() => pool.close())

const text = (words: string) => sharp(Buffer.from(
  `<svg xmlns="http://www.w3.org/2000/svg" width="560" height="80"><rect width="100%" height="100%" fill="#fff"/><text x="12" y="56" font-family="DejaVu Sans" font-size="40">${words}</text></svg>`,
)).png().toBuffer()

describe('createOcrPool', () => {
  it('reads text offline (eng+fra) and reuses its worker', async () => {
    const first = await pool.recognize({ image: await text('PAL EN 012/193'), psm: PSM.SINGLE_LINE })
    expect(first.text).toMatch(/012\/193/)
    const second = await pool.recognize({ image: await text('Dracaufeu PV 180'), psm: PSM.SINGLE_LINE })
    expect(second.text).toMatch(/Dracaufeu/)
  })

  it('fails only the job whose input breaks the worker, then serves the next job', async () => {
    await expect(pool.recognize({ image: Buffer.from('not an image'), psm: PSM.SINGLE_LINE })).rejects.toThrow()
    const after = await pool.recognize({ image: await text('Sprigatito'), psm: PSM.SINGLE_LINE })
    expect(after.text).toMatch(/Sprigatito/)
  })

  it('refuses work once closed', async () => {
    const closed = createOcrPool({ size: 1 })
    await closed.close()
    await expect(closed.recognize({ image: await text('x'), psm: PSM.SINGLE_LINE })).rejects.toThrow(/closed/)
  })
})

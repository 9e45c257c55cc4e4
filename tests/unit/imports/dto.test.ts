import { describe, expect, it } from 'vitest'
import { type DraftRow, toDraftDto, toDraftRead, toUserCardDto } from '../../../server/imports/dto'

const row = (over: Partial<DraftRow> = {}): DraftRow => ({
  id: 'd1',
  batch_id: 'b1',
  image_id: 'i1',
  position: 2,
  quad: [[1, 2], [3, 4], [5, 6], [7, 8]] as never,
  read: { name: 'Pikachu', hp: 60, number: '025/198', printedTotal: 198, setCode: 'SVI', lang: 'en', raw: { name: 'Pikachu' } } as never,
  candidates: [{ cardId: 'sv01-025', name: 'Pikachu', setId: 'sv01', setName: 'Scarlet & Violet', number: '025', score: 0.93, reasons: ['number'] }] as never,
  confident: true,
  status: 'pending',
  failure_reason: null,
  selected_card_id: null,
  user_card_id: null,
  selection: null,
  created_at: new Date('2026-01-02T03:04:05Z') as never,
  has_crop: true,
  ...over,
})

describe('toDraftDto', () => {
  it('maps a row to the API shape with a crop URL', () => {
    const dto = toDraftDto(row())
    expect(dto).toMatchObject({
      id: 'd1', batchId: 'b1', imageId: 'i1', position: 2, cropUrl: '/api/imports/drafts/d1/crop',
      confident: true, status: 'pending', createdAt: '2026-01-02T03:04:05.000Z', selection: null,
    })
    expect(dto.quad).toEqual([[1, 2], [3, 4], [5, 6], [7, 8]])
    expect(dto.read.number).toBe('025/198')
    expect(dto.candidates[0]!.cardId).toBe('sv01-025')
  })

  it('gives a failed draft the full read shape, no crop URL and JSON given as strings parsed', () => {
    const dto = toDraftDto(row({ read: {} as never, quad: null, candidates: '[]' as never, has_crop: false, status: 'failed', failure_reason: 'truncated' }))
    expect(dto.read).toEqual({ name: null, hp: null, number: null, printedTotal: null, setCode: null, lang: null, raw: {} })
    expect(dto.cropUrl).toBeNull()
    expect(dto.quad).toBeNull()
    expect(dto.candidates).toEqual([])
    expect(dto.failureReason).toBe('truncated')
  })

  it('keeps only well-typed read fields', () => {
    expect(toDraftRead({ name: '', hp: 'sixty', number: 12, lang: 'fr' })).toMatchObject({ name: null, hp: null, number: null, lang: 'fr' })
  })
})

describe('toUserCardDto', () => {
  it('turns the numeric price into a number and dates into ISO strings', () => {
    const dto = toUserCardDto({
      id: 'u1', card_id: 'sv01-025', quantity: 2, condition: 'NM', language: 'en', finish: 'normal',
      grader: null, grade: null, cert_number: null, location: null, notes: null, price_paid: '1.50', price_paid_currency: 'EUR', acquired_at: null,
      source_draft_id: 'd1', version: 1, created_at: new Date('2026-01-01T00:00:00Z') as never, updated_at: new Date('2026-01-01T00:00:00Z') as never,
    })
    expect(dto).toMatchObject({ cardId: 'sv01-025', quantity: 2, pricePaid: 1.5, sourceDraftId: 'd1', createdAt: '2026-01-01T00:00:00.000Z' })
    expect(dto).not.toHaveProperty('user_id')
  })
})

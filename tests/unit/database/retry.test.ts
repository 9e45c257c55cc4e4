import { describe, expect, it } from 'vitest'
import { retryConflicts } from '../../../server/database/retry'

const pgError = (code: string) => Object.assign(new Error(code), { code })

describe('retryConflicts', () => {
  it('runs the transaction again after a deadlock, a serialization failure or a unique conflict', async () => {
    for (const code of ['40P01', '40001', '23505']) {
      let runs = 0
      await expect(retryConflicts(async () => {
        if (++runs === 1) throw pgError(code)
        return 'ok'
      })).resolves.toBe('ok')
      expect(runs).toBe(2)
    }
  })

  it('gives up after the last attempt, and never retries other errors', async () => {
    let runs = 0
    await expect(retryConflicts(async () => { runs++; throw pgError('40P01') }, 3)).rejects.toThrow('40P01')
    expect(runs).toBe(3)
    runs = 0
    await expect(retryConflicts(async () => { runs++; throw pgError('22008') })).rejects.toThrow('22008')
    expect(runs).toBe(1)
  })
})

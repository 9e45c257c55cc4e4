import { afterEach, describe, expect, it, vi } from 'vitest'
import { createPacer } from '../../../server/prices/pacer'

describe('createPacer', () => {
  afterEach(() => { vi.useRealTimers() })

  // On fake timers: the spacing is the pacer's, not the machine's load.
  it('spaces request starts by 1 / rate and bounds those in flight', async () => {
    vi.useFakeTimers()
    const pacer = createPacer({ requestsPerSecond: 50, concurrency: 2 })
    const starts: number[] = []
    let inFlight = 0
    let peak = 0
    const all = Promise.all(Array.from({ length: 8 }, () => pacer.run(async () => {
      starts.push(Date.now())
      peak = Math.max(peak, ++inFlight)
      await new Promise(r => setTimeout(r, 15))
      inFlight--
    })))
    await vi.runAllTimersAsync()
    await all
    expect(peak).toBeLessThanOrEqual(2)
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(20)
    expect(starts.at(-1)! - starts[0]!).toBe(7 * 20)
  })

  it('holds every request back during a pause and halves its rate when told to slow down', async () => {
    const pacer = createPacer({ requestsPerSecond: 100, concurrency: 4 })
    pacer.slowDown()
    expect(pacer.requestsPerSecond).toBe(50)
    const t0 = performance.now()
    pacer.pauseUntil(Date.now() + 120)
    await pacer.run(async () => {})
    expect(performance.now() - t0).toBeGreaterThanOrEqual(100)
  })
})

export interface PacerOptions {
  /** Most request starts per second. */
  requestsPerSecond: number
  /** Most requests in flight at once. */
  concurrency: number
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

export interface Pacer {
  /** Runs `fn` once a slot is free and its start time has come. */
  run: <T>(fn: () => Promise<T>) => Promise<T>
  /** No request starts before `until` (a 429's Retry-After). */
  pauseUntil: (until: number) => void
  /** Halves the rate (down to one request every two seconds), after the server asked us to slow down. */
  slowDown: () => void
  readonly requestsPerSecond: number
}

const realSleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

/**
 * Spaces requests evenly (`1 / requestsPerSecond` apart) with a bound on how many are in flight, so a
 * refresh of thousands of cards is a steady trickle rather than a burst.
 */
export function createPacer(options: PacerOptions): Pacer {
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? realSleep
  let rate = Math.max(0.5, options.requestsPerSecond)
  let nextStart = 0
  let pausedUntil = 0
  let active = 0
  const waiting: (() => void)[] = []

  async function acquire() {
    if (active >= options.concurrency) await new Promise<void>(resolve => waiting.push(resolve))
    active++
    // Reserve a start time before waiting, so concurrent callers line up one interval apart.
    const start = Math.max(now(), nextStart)
    nextStart = start + 1000 / rate
    const wait = start - now()
    if (wait > 0) await sleep(wait)
    // A pause asked for while this caller waited (a 429 elsewhere) holds it back too.
    while (pausedUntil > now()) await sleep(pausedUntil - now())
  }

  function release() {
    active--
    waiting.shift()?.()
  }

  return {
    async run(fn) {
      await acquire()
      try {
        return await fn()
      }
      finally {
        release()
      }
    },
    pauseUntil(until) {
      pausedUntil = Math.max(pausedUntil, until)
      nextStart = Math.max(nextStart, until)
    },
    slowDown() {
      rate = Math.max(0.5, rate / 2)
    },
    get requestsPerSecond() {
      return rate
    },
  }
}

export interface RateLimitResult {
  allowed: boolean
  remaining: number
  /** Seconds until the window that refused this hit ends (0 when allowed). */
  retryAfterSeconds: number
}

export interface RateLimiter {
  hit: (key: string, now?: number) => RateLimitResult
}

/**
 * Fixed-window counter per key, in process memory: enough for one app instance; behind several
 * instances each keeps its own counts (documented in docs/SECURITY.md).
 */
export function createRateLimiter(options: { limit: number, windowMs: number, maxKeys?: number }): RateLimiter {
  const windows = new Map<string, { start: number, count: number }>()
  const maxKeys = options.maxKeys ?? 50_000
  return {
    hit(key, now = Date.now()) {
      let window = windows.get(key)
      if (!window || now - window.start >= options.windowMs) {
        if (windows.size >= maxKeys) {
          for (const [k, w] of windows) if (now - w.start >= options.windowMs) windows.delete(k)
          if (windows.size >= maxKeys) windows.delete(windows.keys().next().value!)
        }
        window = { start: now, count: 0 }
        windows.set(key, window)
      }
      window.count++
      if (window.count <= options.limit) {
        return { allowed: true, remaining: options.limit - window.count, retryAfterSeconds: 0 }
      }
      return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((window.start + options.windowMs - now) / 1000)) }
    },
  }
}

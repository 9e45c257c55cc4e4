import { createRequire } from 'node:module'

// opencv-wasm has no usable types for the parts used here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Cv = any

let loaded: { cv: Cv } | undefined

/**
 * The OpenCV module, loaded once (≈ 250 ms, +31 MB). Returned WRAPPED: the Emscripten module is a
 * thenable whose `then` never settles, so `await cv` (or returning it from an async function)
 * would spin forever. Never await `cv` itself.
 */
export function useCv(): { cv: Cv } {
  if (!loaded) {
    const require = createRequire(import.meta.url)
    // The Emscripten glue installs process-wide handlers that ABORT the process on any
    // unhandled rejection or uncaught exception anywhere in the server: remove them again.
    const events = ['unhandledRejection', 'uncaughtException'] as const
    const before = new Map(events.map(e => [e, new Set(process.listeners(e))]))
    const { cv } = require('opencv-wasm') as { cv: Cv }
    for (const e of events) {
      for (const listener of process.listeners(e)) {
        if (!before.get(e)!.has(listener)) process.removeListener(e, listener as (...args: unknown[]) => void)
      }
    }
    delete cv.then
    loaded = { cv }
  }
  return loaded
}

/** Runs `fn` and deletes every Mat/MatVector it registered, whatever happens. */
export function withMats<T>(fn: (track: <M extends { delete: () => void }>(m: M) => M) => T): T {
  const mats: { delete: () => void }[] = []
  const track = <M extends { delete: () => void }>(m: M) => {
    mats.push(m)
    return m
  }
  try {
    return fn(track)
  }
  finally {
    for (const m of mats) {
      try {
        m.delete()
      }
      catch { /* already freed */ }
    }
  }
}

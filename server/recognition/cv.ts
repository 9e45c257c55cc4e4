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
    const { cv } = require('opencv-wasm') as { cv: Cv }
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

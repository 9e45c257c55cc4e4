import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

/** A free TCP port on 127.0.0.1 outside the kernel's ephemeral range (see free-port.mjs). */
export { freePort } from './free-port.mjs'

const script = join(import.meta.dirname, 'free-port.mjs')

/**
 * The same, for code that must know the port synchronously (@nuxt/test-utils' `setup` reads its
 * options when a test file is collected): free-port.mjs, run as a short child process, does the checking.
 */
export function freePortSync(): number {
  return Number(execFileSync(process.execPath, [script], { encoding: 'utf8' }))
}

import { execFileSync } from 'node:child_process'
import { createServer } from 'node:net'

// Linux hands out outgoing connections' local ports from 32768–60999 (ip_local_port_range). A port
// picked there with listen(0) can be taken by a Postgres or Redis client before the test server
// binds it; picking below that range leaves only the tests' own servers to collide with.
const LOW = 20_000
const HIGH = 32_000

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/** A free TCP port on 127.0.0.1 outside the kernel's ephemeral range. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW))
    if (await bindable(port)) return port
  }
}

/**
 * The same, for code that must know the port synchronously (@nuxt/test-utils' `setup` reads its
 * options when a test file is collected): a short child process does the checking.
 */
export function freePortSync(): number {
  const script = `
    const { createServer } = require('node:net')
    const bindable = port => new Promise((resolve) => {
      const server = createServer()
      server.once('error', () => resolve(false))
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
    })
    ;(async () => {
      for (;;) {
        const port = ${LOW} + Math.floor(Math.random() * ${HIGH - LOW})
        if (await bindable(port)) return process.stdout.write(String(port))
      }
    })()`
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }))
}

// A free TCP port on 127.0.0.1 outside the kernel's ephemeral range. Plain JavaScript so that the
// same check serves ports.ts and, run as a script (`node free-port.mjs` prints one), code that must
// know a port synchronously.
import { createServer } from 'node:net'

// Linux hands out outgoing connections' local ports from 32768–60999 (ip_local_port_range). A port
// picked there with listen(0) can be taken by a Postgres or Redis client before the test server
// binds it; picking below that range leaves only the tests' own servers to collide with.
const LOW = 20_000
const HIGH = 32_000

/** @param {number} port */
function bindable(port) {
  return /** @type {Promise<boolean>} */ (new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  }))
}

/** @returns {Promise<number>} */
export async function freePort() {
  for (;;) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW))
    if (await bindable(port)) return port
  }
}

if (import.meta.main) process.stdout.write(String(await freePort()))

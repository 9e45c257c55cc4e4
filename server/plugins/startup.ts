import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** The session secret: `NUXT_SESSION_PASSWORD`, else (embedded mode only) one generated once and kept in the data dir. */
function ensureSessionSecret() {
  if (process.env.NUXT_SESSION_PASSWORD) return
  const config = useServerConfig()
  if (config.databaseUrl && !import.meta.dev) {
    throw new Error('NUXT_SESSION_PASSWORD must be set (32+ characters) when running on an external database')
  }
  const file = join(config.dataDir, 'session-secret')
  let secret = ''
  try {
    secret = readFileSync(file, 'utf8').trim()
  }
  catch {}
  if (secret.length < 32) {
    secret = randomBytes(32).toString('hex')
    mkdirSync(config.dataDir, { recursive: true })
    writeFileSync(file, secret, { mode: 0o600 })
  }
  process.env.NUXT_SESSION_PASSWORD = secret
}

export default defineNitroPlugin((nitroApp) => {
  ensureSessionSecret()
  // Open, migrate and seed at start so the first request does not pay for it.
  useDatabase().catch(error => console.error('[database] start-up failed:', error))
  // Connect to Redis now: the store fails fast while not connected, so a lazy first connection made the first upload a 503.
  useImageStore()
  nitroApp.hooks.hook('close', async () => {
    await closeImageStore()
    await closeDatabase()
  })
})

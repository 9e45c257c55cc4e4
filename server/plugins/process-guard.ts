import { DataDirLockedError } from '../database/lock'

/**
 * What must stop the server rather than leave it half alive: another process holding the embedded
 * database, or a port it cannot listen on (Nitro only logs that uncaught error and stays up).
 */
export default defineNitroPlugin((nitroApp) => {
  useDatabase().catch((error) => {
    if (!(error instanceof DataDirLockedError)) return // logged by the startup plugin; health reports it
    console.error(`[database] ${error.message}`)
    process.exit(1)
  })
  nitroApp.hooks.hook('error', (error, context) => {
    const cause = error as NodeJS.ErrnoException
    const tags = (context as { tags?: string[] }).tags ?? []
    if (!tags.includes('uncaughtException') || cause.syscall !== 'listen') return
    const hint = cause.code === 'EADDRINUSE' ? ': another process uses this port; set PORT to a free one' : ''
    console.error(`[server] cannot listen (${cause.message})${hint}`)
    process.exit(1)
  })
})

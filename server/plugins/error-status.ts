import { STATUS_CODES } from 'node:http'

/**
 * An error thrown with `createError({ statusCode, message })` has no status text, and Nitro's error
 * handler then says "Server Error" for every status (a 401 included): name the status instead.
 */
export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('error', (error) => {
    const e = error as { statusCode?: number, statusMessage?: string, unhandled?: boolean }
    if (!e.statusMessage && e.statusCode && !e.unhandled) e.statusMessage = STATUS_CODES[e.statusCode]
  })
})

/**
 * The text reader's models load at start: a missing or broken model stops the server with its
 * name, rather than failing the first upload.
 */
export default defineNitroPlugin((nitroApp) => {
  const reader = useOcrPool()
  reader.warmUp().catch((error: Error) => {
    console.error(`[recognition] the ${reader.engine} text reader cannot start: ${error.message}`)
    process.exit(1)
  })
  nitroApp.hooks.hook('close', () => reader.close())
})

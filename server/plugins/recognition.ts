/**
 * The text reader's models load at start: a missing or broken model stops the server with its
 * name, rather than failing the first upload.
 */
export default defineNitroPlugin((nitroApp) => {
  // Once the server's modules have all loaded (the bundle knows its own place only then).
  setImmediate(() => {
    try {
      const reader = useOcrPool()
      reader.warmUp().catch(stop)
      nitroApp.hooks.hook('close', () => reader.close())
    }
    catch (error) {
      stop(error as Error)
    }
  })
})

function stop(error: Error) {
  console.error(`[recognition] the ${useServerConfig().ocrEngine} text reader cannot start: ${error.message}`)
  process.exit(1)
}

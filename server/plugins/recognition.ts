import { analysesInWebProcess } from '../settings'

/**
 * The text reader's models load at start in a process that analyses: a missing or broken model
 * stops the server with its name, rather than failing the first upload. (The analysis plugin closes it.)
 */
export default defineNitroPlugin(() => {
  if (!analysesInWebProcess(useServerConfig())) return
  // Once the server's modules have all loaded (the bundle knows its own place only then).
  setImmediate(() => {
    try {
      useAnalyzer().reader.warmUp().catch(stop)
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

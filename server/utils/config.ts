import { resolve } from 'node:path'

export interface ServerConfig {
  databaseUrl: string
  redisUrl: string
  dataDir: string
  imageTtlSeconds: number
  analysisMaxCandidates: number
  analysisConfidenceThreshold: number
  uploadMaxFileBytes: number
  uploadMaxFiles: number
  uploadMaxPixels: number
  ocrWorkers: number
  ocrEngine: string
}

const num = (value: unknown, fallback: number) => {
  const n = Number(value)
  return value !== undefined && value !== '' && Number.isFinite(n) ? n : fallback
}

/**
 * Run-time settings: `runtimeConfig` (overridable with `NUXT_*`), and the plain names operators
 * expect (`DATABASE_URL`, `REDIS_URL`, `IMAGE_TTL_SECONDS`, …) on top.
 */
export function useServerConfig(): ServerConfig {
  const rc = useRuntimeConfig()
  const env = process.env
  return {
    databaseUrl: env.DATABASE_URL || rc.databaseUrl,
    redisUrl: env.REDIS_URL || rc.redisUrl,
    dataDir: resolve(env.DATA_DIR || rc.dataDir),
    imageTtlSeconds: num(env.IMAGE_TTL_SECONDS, rc.imageTtlSeconds),
    analysisMaxCandidates: num(env.ANALYSIS_MAX_CANDIDATES, rc.analysisMaxCandidates),
    analysisConfidenceThreshold: num(env.ANALYSIS_CONFIDENCE_THRESHOLD, rc.analysisConfidenceThreshold),
    uploadMaxFileBytes: num(env.UPLOAD_MAX_FILE_BYTES, rc.uploadMaxFileBytes),
    uploadMaxFiles: num(env.UPLOAD_MAX_FILES, rc.uploadMaxFiles),
    uploadMaxPixels: num(env.UPLOAD_MAX_PIXELS, rc.uploadMaxPixels),
    ocrWorkers: num(env.OCR_WORKERS, rc.ocrWorkers),
    ocrEngine: env.OCR_ENGINE || rc.ocrEngine,
  }
}

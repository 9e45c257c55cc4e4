import { resolve } from 'node:path'

// Plain (no Nitro): `npm run worker` and nuxt.config.ts read the settings from here too.

/** Every run-time setting with its default (also the defaults of `runtimeConfig` in nuxt.config.ts). */
export const SERVER_CONFIG_DEFAULTS = {
  databaseUrl: '',
  redisUrl: '',
  dataDir: '.data',
  imageTtlSeconds: 900,
  analysisMaxCandidates: 5,
  analysisConfidenceThreshold: 0.82,
  uploadMaxFileBytes: 15 * 1024 * 1024,
  uploadMaxFiles: 30,
  uploadMaxPixels: 60_000_000,
  ocrWorkers: 0,
  /** Photos analysed at once by one worker; 0 = one per CPU core. */
  analysisConcurrency: 0,
  /** Whether the web process analyses too (1) or leaves it to `npm run worker` processes (0). */
  analysisWorkers: 1,
  /** Runs of one photo before it is failed (a photo that crashes its worker every time). */
  analysisMaxAttempts: 3,
  /** How long a worker holds a job without a sign of life before another may take it over. */
  analysisLeaseSeconds: 30,
  /** Photo bytes kept at once, for everyone (bounded below Redis's maxmemory when it has one). */
  imageStoreMaxBytes: 1024 * 1024 * 1024,
  /** Photo bytes one user may keep at once. */
  imageStoreUserMaxBytes: 500 * 1024 * 1024,
}

export type ServerConfig = typeof SERVER_CONFIG_DEFAULTS

const ENV_NAMES: Record<keyof ServerConfig, string> = {
  databaseUrl: 'DATABASE_URL',
  redisUrl: 'REDIS_URL',
  dataDir: 'DATA_DIR',
  imageTtlSeconds: 'IMAGE_TTL_SECONDS',
  analysisMaxCandidates: 'ANALYSIS_MAX_CANDIDATES',
  analysisConfidenceThreshold: 'ANALYSIS_CONFIDENCE_THRESHOLD',
  uploadMaxFileBytes: 'UPLOAD_MAX_FILE_BYTES',
  uploadMaxFiles: 'UPLOAD_MAX_FILES',
  uploadMaxPixels: 'UPLOAD_MAX_PIXELS',
  ocrWorkers: 'OCR_WORKERS',
  analysisConcurrency: 'ANALYSIS_CONCURRENCY',
  analysisWorkers: 'ANALYSIS_WORKERS',
  analysisMaxAttempts: 'ANALYSIS_MAX_ATTEMPTS',
  analysisLeaseSeconds: 'ANALYSIS_LEASE_SECONDS',
  imageStoreMaxBytes: 'IMAGE_STORE_MAX_BYTES',
  imageStoreUserMaxBytes: 'IMAGE_STORE_USER_MAX_BYTES',
}

/**
 * The settings from the plain names operators expect (`DATABASE_URL`, `REDIS_URL`, …) over `base`.
 * Plain so that `npm run worker` reads them the same way outside Nitro.
 */
export function serverConfigFrom(env: Record<string, string | undefined>, base: Partial<ServerConfig> = {}): ServerConfig {
  const config = { ...SERVER_CONFIG_DEFAULTS } as Record<string, string | number>
  for (const [key, name] of Object.entries(ENV_NAMES) as [keyof ServerConfig, string][]) {
    const fallback = base[key] ?? SERVER_CONFIG_DEFAULTS[key]
    const value = env[name]
    if (typeof SERVER_CONFIG_DEFAULTS[key] === 'number') {
      const n = Number(value)
      config[key] = value !== undefined && value !== '' && Number.isFinite(n) ? n : Number(fallback)
    }
    else {
      config[key] = value || String(fallback ?? '')
    }
  }
  return { ...config, dataDir: resolve(String(config.dataDir)) } as ServerConfig
}

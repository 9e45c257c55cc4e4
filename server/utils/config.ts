import { type ServerConfig, serverConfigFrom } from '../settings'

export type { ServerConfig }

/** Run-time settings: `runtimeConfig` (overridable with `NUXT_*`), and the plain names operators expect on top. */
export function useServerConfig(): ServerConfig {
  return serverConfigFrom(process.env, useRuntimeConfig() as unknown as Partial<ServerConfig>)
}

import { availableParallelism } from 'node:os'
import type { Kysely } from 'kysely'
import type { Database } from '../database/schema'
import { analyzePhoto, buildCatalogIndex, catalogEntriesFromDb, type CatalogIndex, createOcrPool, type PhotoAnalysis } from '../recognition'
import type { ServerConfig } from '../settings'

export type Analyze = (bytes: Buffer) => Promise<PhotoAnalysis>

export interface Analyzer {
  analyze: Analyze
  close: () => Promise<void>
}

type AnalyzerSettings = Pick<ServerConfig, 'ocrWorkers' | 'analysisMaxCandidates' | 'analysisConfidenceThreshold' | 'uploadMaxPixels'>

/**
 * Photo bytes → drafts with the server's settings: one OCR pool (OCR_WORKERS, default one worker
 * per core) and the catalogue index, built once from the database on first use. Plain, so that
 * `npm run worker` (scripts/worker.ts) analyses exactly as the web process does.
 */
export function createAnalyzer(db: () => Promise<Kysely<Database>>, settings: AnalyzerSettings): Analyzer {
  const ocr = createOcrPool({ size: settings.ocrWorkers || availableParallelism() })
  let index: Promise<CatalogIndex> | undefined
  const catalogIndex = () => index ??= db().then(catalogEntriesFromDb).then(buildCatalogIndex).catch((error) => {
    index = undefined
    throw error
  })
  return {
    analyze: async bytes => analyzePhoto(bytes, {
      index: await catalogIndex(),
      ocr,
      maxCandidates: settings.analysisMaxCandidates,
      confidenceThreshold: settings.analysisConfidenceThreshold,
      maxPixels: settings.uploadMaxPixels,
    }),
    close: () => ocr.close(),
  }
}

let analyzer: Analyzer | undefined

/** The web process's analysis (what its in-process worker runs). */
export function useAnalyzer(): Analyze {
  analyzer ??= createAnalyzer(useDb, useServerConfig())
  return analyzer.analyze
}

export async function closeAnalyzer(): Promise<void> {
  await analyzer?.close()
  analyzer = undefined
}

import { availableParallelism } from 'node:os'
import type { Kysely } from 'kysely'
import type { Database } from '../database/schema'
import {
  analyzePhoto, buildCatalogIndex, catalogEntriesFromDb, type CatalogIndex, createTextReader, type PhotoAnalysis, type TextReader,
} from '../recognition'
import type { ServerConfig } from '../settings'

export type Analyze = (bytes: Buffer) => Promise<PhotoAnalysis>

export interface Analyzer {
  analyze: Analyze
  /** The text reader (`OCR_ENGINE`), its models loaded once and shared by every analysis of the process. */
  reader: TextReader
  close: () => Promise<void>
}

type AnalyzerSettings = Pick<ServerConfig, 'ocrEngine' | 'ocrWorkers' | 'analysisMaxCandidates' | 'analysisConfidenceThreshold' | 'uploadMaxPixels'>

/**
 * Photo bytes → drafts with the server's settings: one text reader (OCR_WORKERS threads, default
 * one per core) and the catalogue index, built once from the database on first use. Plain, so that
 * `npm run worker` (scripts/worker.ts) analyses exactly as the web process does.
 */
export function createAnalyzer(db: () => Promise<Kysely<Database>>, settings: AnalyzerSettings): Analyzer {
  const reader = createTextReader(settings.ocrEngine, { threads: settings.ocrWorkers || availableParallelism() })
  let index: Promise<CatalogIndex> | undefined
  const catalogIndex = () => index ??= db().then(catalogEntriesFromDb).then(buildCatalogIndex).catch((error) => {
    index = undefined
    throw error
  })
  return {
    analyze: async bytes => analyzePhoto(bytes, {
      index: await catalogIndex(),
      ocr: reader,
      maxCandidates: settings.analysisMaxCandidates,
      confidenceThreshold: settings.analysisConfidenceThreshold,
      maxPixels: settings.uploadMaxPixels,
    }),
    reader,
    close: () => reader.close(),
  }
}

let analyzer: Analyzer | undefined

/** The web process's analyzer (what its in-process worker runs). */
export function useAnalyzer(): Analyzer {
  analyzer ??= createAnalyzer(useDb, useServerConfig())
  return analyzer
}

export async function closeAnalyzer(): Promise<void> {
  await analyzer?.close()
  analyzer = undefined
}

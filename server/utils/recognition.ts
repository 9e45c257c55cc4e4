import { availableParallelism } from 'node:os'
import {
  buildCatalogIndex, catalogEntriesFromDb, type CatalogIndex, createOcrPool, type OcrPool,
} from '../recognition'

let pool: OcrPool | undefined
let index: Promise<CatalogIndex> | undefined

/** The server's one OCR pool (one tesseract worker per core unless OCR_WORKERS says otherwise). */
export function useOcrPool(): OcrPool {
  pool ??= createOcrPool({ size: useServerConfig().ocrWorkers || availableParallelism() })
  return pool
}

/** The catalogue index for recognition, built once from the database. */
export function useCatalogIndex(): Promise<CatalogIndex> {
  index ??= useDb()
    .then(db => catalogEntriesFromDb(db))
    .then(buildCatalogIndex)
    .catch((error) => {
      index = undefined
      throw error
    })
  return index
}

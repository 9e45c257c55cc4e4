import { availableParallelism } from 'node:os'
import {
  buildCatalogIndex, catalogEntriesFromDb, type CatalogIndex, createTextReader, type TextReader,
} from '../recognition'

let reader: TextReader | undefined
let index: Promise<CatalogIndex> | undefined

/** The server's one text reader (`OCR_ENGINE`), its models loaded once and shared by every analysis. */
export function useOcrPool(): TextReader {
  const config = useServerConfig()
  reader ??= createTextReader(config.ocrEngine, { threads: config.ocrWorkers || availableParallelism() })
  return reader
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

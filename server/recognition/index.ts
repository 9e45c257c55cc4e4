/**
 * Photo recognition: photo bytes in, one draft per card out (see docs/IMAGE_PIPELINE.md).
 * decode → detect → warp → read → parse → rank, all plain modules.
 */
export { analyzePhoto, type AnalyzeOptions } from './analyze'
export {
  buildCatalogIndex, catalogEntriesFromDb, catalogEntriesFromFile, type CatalogEntry, type CatalogIndex,
} from './catalog-index'
export { sniffImageType, decodePhoto, type ImageType } from './decode'
export { detectCards, type DetectedCard, type Quad } from './detect'
export { createTextReader } from './engines'
export { cardLayout, type CardLayout } from './layout'
export { numberKey, parseCard, parseCardNumber, parseCardNumbers, parseHp, parsePhoto, parseSetCode, type CardNumber } from './parse'
export { CONFIDENCE_MARGIN, isConfident, rankCandidates } from './rank'
export { readCard, readPhoto } from './read'
export { OCR_ENGINES, OcrError, type OcrEngine, type TextLine, type TextReader } from './reader'
export { InvalidImageError, type Candidate, type CardReading, type DraftResult, type PhotoAnalysis, type ReadText } from './types'

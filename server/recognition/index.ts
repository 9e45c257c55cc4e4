/**
 * Photo recognition: photo bytes in, one draft per card out (see docs/IMAGE_PIPELINE.md).
 * decode → detectCards → warpCard → readCardText → rankCandidates, all plain modules.
 */
export { analyzePhoto, type AnalyzeOptions } from './analyze'
export {
  buildCatalogIndex, catalogEntriesFromDb, catalogEntriesFromFile, type CatalogEntry, type CatalogIndex,
} from './catalog-index'
export { sniffImageType, decodePhoto, type ImageType } from './decode'
export { detectCards, type DetectedCard, type Quad } from './detect'
export { createOcrPool, OcrError, type OcrPool } from './ocr-pool'
export { numberKey, parseCardNumber, parseCardNumbers, parseHp, parseSetCode, type CardNumber } from './parse'
export { CONFIDENCE_MARGIN, isConfident, rankCandidates, type CardReading } from './rank'
export { readCardText } from './read-card'
export { InvalidImageError, type Candidate, type DraftResult, type PhotoAnalysis, type ReadText } from './types'

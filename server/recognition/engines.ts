import { createPaddleReader } from './paddle'
import { OCR_ENGINES, type OcrEngine, OcrError, type TextReader } from './reader'
import { createTesseractReader } from './tesseract'

/** The text reader of an engine (`OCR_ENGINE`): `paddle` (the default) or `tesseract`. */
export function createTextReader(engine: string, options: { threads: number }): TextReader {
  if (!OCR_ENGINES.includes(engine as OcrEngine)) throw new OcrError(`Unknown OCR engine "${engine}": use one of ${OCR_ENGINES.join(', ')}`)
  // PaddleOCR runs one inference at a time on every thread; tesseract runs one worker per thread.
  return engine === 'tesseract' ? createTesseractReader({ size: options.threads }) : createPaddleReader({ threads: options.threads })
}

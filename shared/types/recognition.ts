/** What was read off one card (the API's `read`; `null` where nothing could be read). */
export interface ReadText {
  name: string | null
  hp: number | null
  number: string | null
  printedTotal: number | null
  setCode: string | null
  lang: string | null
  /** Raw OCR text per band (`name`, `bottom`, `photo`), for review and debugging. */
  raw: Record<string, string>
}

/** One ranked catalogue match for a card found in a photo. */
export interface Candidate {
  cardId: string
  /** In the language read off the card when the catalogue has it, else English. */
  name: string
  /** Every catalogue language's name, so a UI can show the one of its own language. */
  names: Partial<Record<string, string>>
  setId: string
  setName: string
  /** The printed set code (`PAL`) on Scarlet & Violet-era sets, else null. */
  setCode: string | null
  number: string
  /** In [0, 1]; calibrated so that the confidence threshold means "safe to accept". */
  score: number
  reasons: string[]
}

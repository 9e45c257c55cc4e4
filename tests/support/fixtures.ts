import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** One photo of `labels.json` (format in the photo fixtures' README). */
export interface PhotoLabel {
  file: string
  kind: string
  cards: { cardId: string | null, nameShown?: string, lang?: string, certain?: boolean }[]
}

/** The fixture photos kept in the project (tests/fixtures + labels.json). */
export function projectFixtures(): { dir: string, labels: PhotoLabel[] } {
  const dir = resolve(import.meta.dirname, '../fixtures')
  const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as PhotoLabel[]
  return { dir, labels: labels.filter(l => existsSync(join(dir, l.file))) }
}

/** The real phone photos next to the project (`../shared/fixtures/photos/real-dev`), when present. */
export function realDevFixtures(): { dir: string, labels: PhotoLabel[] } | null {
  const dir = resolve(import.meta.dirname, '../../../shared/fixtures/photos/real-dev')
  if (!existsSync(join(dir, 'labels.json'))) return null
  const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as PhotoLabel[]
  return { dir, labels: labels.filter(l => existsSync(join(dir, l.file))) }
}

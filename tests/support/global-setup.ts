import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { TestProject } from 'vitest/node'

const rootDir = resolve(import.meta.dirname, '../..')

declare module 'vitest' {
  export interface ProvidedContext {
    outputDir: string
    pgliteTemplate: string
  }
}

let built: { outputDir: string, cleanup: () => void } | undefined

/** Builds the app once for every API and browser test file (TEST_OUTPUT_DIR reuses an existing build). */
async function buildOnce() {
  if (process.env.TEST_OUTPUT_DIR) return { outputDir: resolve(process.env.TEST_OUTPUT_DIR), cleanup: () => {} }
  const buildDir = mkdtempSync(join(rootDir, '.nuxt', 'test-'))
  const outputDir = join(buildDir, 'output')
  execFileSync(process.execPath, [join(rootDir, 'tests/support/build-app.mjs'), buildDir], { stdio: ['ignore', 'ignore', 'inherit'] })
  return { outputDir, cleanup: () => rmSync(buildDir, { recursive: true, force: true }) }
}

/** A migrated PGlite directory holding the catalogue, copied for each test server (a new one takes ~5 s). */
async function pgliteTemplate() {
  const dir = mkdtempSync(join(tmpdir(), 'pokeventory-template-'))
  const { openDatabase } = await import('../../server/database/connection')
  const { migrateToLatest } = await import('../../server/database/migrate')
  const { importCatalog } = await import('../../server/catalog/import')
  const { readCatalogFile } = await import('../../server/catalog/source')
  const handle = await openDatabase({ dataDir: join(dir, 'pglite') })
  await migrateToLatest(handle.db)
  await importCatalog(handle.db, await readCatalogFile(join(rootDir, 'data/tcgdex-catalog.json.gz')))
  await handle.close()
  return dir
}

export default async function setup(project: TestProject) {
  if (!existsSync(join(rootDir, '.nuxt'))) throw new Error('Run `npm install` first (nuxt prepare)')
  built ??= await buildOnce()
  const template = process.env.DATABASE_URL ? '' : await pgliteTemplate()
  project.provide('outputDir', built.outputDir)
  project.provide('pgliteTemplate', template)
  return () => {
    built?.cleanup()
    built = undefined
    if (template) rmSync(template, { recursive: true, force: true })
  }
}


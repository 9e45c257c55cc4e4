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

interface Built { outputDir: string, cleanup: () => void, users: number }
// Shared by the nuxt and browser projects, which run one after the other in this process.
const state = globalThis as typeof globalThis & { __pokeventoryBuild?: Promise<Built> }

/** Builds the app once for every API and browser test file (TEST_OUTPUT_DIR reuses an existing build). */
async function buildOnce() {
  if (process.env.TEST_OUTPUT_DIR) return { outputDir: resolve(process.env.TEST_OUTPUT_DIR), cleanup: () => {}, users: 0 }
  const buildDir = mkdtempSync(join(rootDir, '.nuxt', 'test-'))
  const outputDir = join(buildDir, 'output')
  execFileSync(process.execPath, [join(rootDir, 'tests/support/build-app.mjs'), buildDir], { stdio: ['ignore', 'ignore', 'inherit'] })
  return { outputDir, cleanup: () => rmSync(buildDir, { recursive: true, force: true }), users: 0 }
}

/**
 * Migrates and fills the database once: the real Postgres of DATABASE_URL, else a PGlite directory
 * that each test server copies (creating a new one takes ~5 s).
 */
async function prepareDatabase(): Promise<string> {
  const dir = process.env.DATABASE_URL ? '' : mkdtempSync(join(tmpdir(), 'pokeventory-template-'))
  const { openDatabase } = await import('../../server/database/connection')
  const { migrateToLatest } = await import('../../server/database/migrate')
  const { importCatalog } = await import('../../server/catalog/import')
  const { readCatalogFile } = await import('../../server/catalog/source')
  const handle = await openDatabase({ url: process.env.DATABASE_URL, dataDir: join(dir, 'pglite') })
  try {
    await migrateToLatest(handle.db)
    await importCatalog(handle.db, await readCatalogFile(join(rootDir, 'data/tcgdex-catalog.json.gz')))
  }
  finally {
    await handle.close()
  }
  return dir
}

export default async function setup(project: TestProject) {
  if (!existsSync(join(rootDir, '.nuxt'))) throw new Error('Run `npm install` first (nuxt prepare)')
  state.__pokeventoryBuild ??= buildOnce()
  const built = await state.__pokeventoryBuild
  built.users++
  const template = await prepareDatabase()
  project.provide('outputDir', built.outputDir)
  project.provide('pgliteTemplate', template)
  return () => {
    if (--built.users === 0) {
      built.cleanup()
      state.__pokeventoryBuild = undefined
    }
    if (template) rmSync(template, { recursive: true, force: true })
  }
}


// Builds the app into the given directory (run as a child process: building inside vitest's own
// process leaves it in a state where it exits without running the tests).
import { buildNuxt, loadNuxt } from '@nuxt/kit'
import { join, resolve } from 'node:path'

const [buildDir] = process.argv.slice(2)
const rootDir = resolve(import.meta.dirname, '../..')
const nuxt = await loadNuxt({ cwd: rootDir, dev: false, overrides: { buildDir, nitro: { output: { dir: join(buildDir, 'output') } } } })
await buildNuxt(nuxt)
await nuxt.close()

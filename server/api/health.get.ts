import { databaseReadError } from '../database/migrate'

defineRouteMeta({
  openAPI: { tags: ['System'], summary: 'Drivers in use and whether each answers' },
})

export default defineEventHandler(async (event) => {
  const store = useImageStore()
  const [database, storage] = await Promise.all([
    useDatabase().then(async (h) => {
      const error = await databaseReadError(h.db)
      return { driver: h.driver, ok: !error, ...(error ? { error } : {}) }
    }).catch(() => ({ driver: useServerConfig().databaseUrl ? 'postgres' : 'pglite', ok: false, error: 'The database could not be opened' })),
    store.ping().then(ok => ({ driver: store.driver, ok })),
  ])
  const ok = database.ok && storage.ok
  setResponseStatus(event, ok ? 200 : 503)
  return { status: ok ? 'ok' : 'degraded', database, storage }
})

import { databaseReadError } from '../database/migrate'

defineRouteMeta({
  openAPI: { tags: ['System'], summary: 'Drivers in use (database, photo storage, analysis queue) and whether each answers' },
})

export default defineEventHandler(async (event) => {
  const store = useImageStore()
  const config = useServerConfig()
  const [database, storage, queue] = await Promise.all([
    useDatabase().then(async (h) => {
      const error = await databaseReadError(h.db)
      return { driver: h.driver, ok: !error, ...(error ? { error } : {}) }
    }).catch(() => ({ driver: config.databaseUrl ? 'postgres' : 'pglite', ok: false, error: 'The database could not be opened' })),
    store.ping().then(ok => ({ driver: store.driver, ok })),
    useQueue().then(async q => ({ driver: q.driver, ok: await q.ping() }))
      .catch(() => ({ driver: config.redisUrl ? 'bullmq' : 'database', ok: false })),
  ])
  const ok = database.ok && storage.ok && queue.ok
  setResponseStatus(event, ok ? 200 : 503)
  return { status: ok ? 'ok' : 'degraded', database, storage, queue }
})

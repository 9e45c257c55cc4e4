import type { BatchListDto } from '~~/shared/schemas/imports'
import { nextPollDelay, POLL_MIN_MS } from '~/composables/useImportBatch'

/**
 * Tells the collector when a batch they uploaded from this browser has been analysed, wherever they
 * are in the app: a toast with a link to its review, and a system notification when the tab is hidden
 * and they allowed them. Polls the batch list with the review page's backoff, only while one is followed.
 */
export default defineNuxtPlugin((nuxtApp) => {
  const { watched, load, forget } = useImportWatch()
  const { loggedIn } = useUserSession()
  const toast = useToast()
  const router = useRouter()
  const i18n = nuxtApp.$i18n as { t: (key: string, ...args: unknown[]) => string }
  let timer: ReturnType<typeof setTimeout> | undefined
  let delay = POLL_MIN_MS
  let last = ''

  function announce(id: string, found: number, pending: number) {
    const message = found ? i18n.t('flow.watch.ready', { n: found, pending }, found) : i18n.t('flow.watch.nothing')
    const open = () => router.push(`/imports/${id}`)
    const here = router.currentRoute.value.path === `/imports/${id}`
    if (!here || document.hidden) toast.show({ message, kind: 'success', actionLabel: i18n.t('flow.watch.review'), action: open, timeout: 12_000 })
    if (document.hidden && 'Notification' in window && Notification.permission === 'granted') {
      const notice = new Notification(i18n.t('flow.watch.title'), { body: message, tag: `batch-${id}`, icon: '/favicon.svg' })
      notice.onclick = () => {
        window.focus()
        open()
        notice.close()
      }
    }
  }

  async function tick() {
    timer = undefined
    if (!watched.value.length || !loggedIn.value) return
    try {
      const list = await $fetch<BatchListDto>('/api/imports/batches', { query: { pageSize: 20 } })
      for (const w of [...watched.value]) {
        const batch = list.batches.find(b => b.id === w.id)
        if (!batch) forget(w.id)
        else if (batch.status !== 'analyzing') {
          forget(w.id)
          announce(w.id, batch.drafts.total, batch.drafts.pending)
        }
      }
      const now = JSON.stringify(list.batches.map(b => [b.id, b.images]))
      delay = nextPollDelay(delay, now !== last)
      last = now
    }
    catch (err) {
      // Signed out meanwhile: nothing to follow any more.
      if ((err as { statusCode?: number })?.statusCode === 401) watched.value = []
      delay = nextPollDelay(delay, false)
    }
    schedule()
  }
  function schedule() {
    if (timer || !watched.value.length || !loggedIn.value) return
    timer = setTimeout(tick, delay)
  }

  nuxtApp.hook('app:mounted', () => {
    load()
    schedule()
  })
  watch(() => watched.value.length, (n, before) => {
    if (n > (before ?? 0)) delay = POLL_MIN_MS
    schedule()
  })
  watch(loggedIn, schedule)
})

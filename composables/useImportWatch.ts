const STORAGE_KEY = 'pv-watched-batches'
/** A batch older than this is no longer followed (the tab was closed for a day, the server lost it…). */
const WATCH_MAX_AGE_MS = 6 * 60 * 60 * 1000

interface Watched { id: string, since: number }

function readStored(): Watched[] {
  try {
    const list = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]') as Watched[]
    return Array.isArray(list) ? list.filter(w => typeof w?.id === 'string' && Date.now() - w.since < WATCH_MAX_AGE_MS) : []
  }
  catch {
    return []
  }
}

/**
 * The batches this browser uploaded and waits for: kept in localStorage, so that a reload or another
 * page still hears when their analysis ends (plugins/import-watch.client.ts polls and notifies).
 */
export function useImportWatch() {
  const watched = useState<Watched[]>('watched-batches', () => [])

  function load() {
    watched.value = readStored()
  }
  function save(list: Watched[]) {
    watched.value = list
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(list))
    }
    catch {
      // Private mode without storage: followed in this tab only.
    }
  }
  const follow = (id: string) => save([...watched.value.filter(w => w.id !== id), { id, since: Date.now() }])
  const forget = (id: string) => save(watched.value.filter(w => w.id !== id))

  return { watched, load, follow, forget }
}

/** Whether the browser can show system notifications, and what the user said to them. */
export function useNotificationPermission() {
  const state = ref<NotificationPermission | 'unsupported'>('unsupported')
  onMounted(() => {
    state.value = 'Notification' in window ? Notification.permission : 'unsupported'
  })
  async function ask() {
    if (!('Notification' in window)) return
    state.value = await Notification.requestPermission()
  }
  return { state, ask }
}


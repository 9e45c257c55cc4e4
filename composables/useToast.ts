export interface Toast {
  id: number
  message: string
  kind: 'info' | 'success' | 'error'
  actionLabel?: string
  // Whatever it returns (a navigation, a request) is awaited and ignored.
  action?: () => unknown
}

let nextId = 1
const timers = new Map<number, ReturnType<typeof setTimeout>>()

/** Small notifications at the bottom of the screen, optionally with one action (e.g. "Undo"). */
export function useToast() {
  const toasts = useState<Toast[]>('toasts', () => [])

  function dismiss(id: number) {
    toasts.value = toasts.value.filter(t => t.id !== id)
    clearTimeout(timers.get(id))
    timers.delete(id)
  }

  function show(toast: Omit<Toast, 'id' | 'kind'> & { kind?: Toast['kind'], timeout?: number }) {
    const id = nextId++
    const { timeout, ...rest } = toast
    toasts.value = [...toasts.value.slice(-2), { kind: 'info', ...rest, id }]
    timers.set(id, setTimeout(() => dismiss(id), timeout ?? (toast.action ? 8000 : 4500)))
    return id
  }

  return { toasts, show, dismiss }
}

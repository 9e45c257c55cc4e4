import type { Share, ShareKind } from '~~/shared/schemas/shares'

/** The user's public links: publish (or renew) one, stop one. */
export async function useShares() {
  const fetch = await useFetch<{ shares: Share[] }>('/api/shares', { key: 'shares', default: () => ({ shares: [] }) })
  const find = (kind: ShareKind, binderId?: string) => fetch.data.value?.shares.find(s => s.kind === kind && (kind !== 'binder' || s.binderId === binderId))

  async function publish(kind: ShareKind, binderId?: string) {
    const { share } = await $fetch<{ share: Share }>('/api/shares', { method: 'POST', body: kind === 'binder' ? { kind, binderId } : { kind } })
    await fetch.refresh()
    return share
  }

  async function stop(share: Share) {
    await $fetch(`/api/shares/${share.id}`, { method: 'DELETE' })
    await fetch.refresh()
  }

  return { ...fetch, find, publish, stop }
}

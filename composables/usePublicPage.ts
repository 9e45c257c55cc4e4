import type { PublicPage, ShareKind } from '~~/shared/schemas/shares'

/**
 * A public link's data (`GET /api/public/{slug}`), for visitors signed out as well as in. A slug that
 * is not live, or that shares something else than this page shows, is a 404. Never indexed.
 */
export async function usePublicPage(kind: ShareKind, query: MaybeRefOrGetter<Record<string, string | number | undefined>> = {}) {
  const route = useRoute()
  const { locale, t } = useI18n()
  const slug = String(route.params.slug)
  const pending = useFetch<PublicPage>(() => `/api/public/${encodeURIComponent(slug)}`, {
    key: `public-${slug}`,
    query: computed(() => ({ lang: locale.value, ...toValue(query) })),
  })
  // Before the await: composables need the Nuxt instance, which an await inside a composable loses.
  useHead({
    title: () => (pending.data.value ? t(`publicPage.${kind}Title`, { name: pending.data.value.owner.name }) : ''),
    meta: [{ name: 'robots', content: 'noindex, nofollow' }],
  })
  const fetch = await pending
  if (fetch.error.value?.statusCode === 404 || (fetch.data.value && fetch.data.value.kind !== kind)) {
    throw createError({ statusCode: 404, statusMessage: 'Not found', fatal: true })
  }
  return fetch
}

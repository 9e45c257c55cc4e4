import { listShares } from '../../shares/shares'

defineRouteMeta({ openAPI: { tags: ['Sharing'], summary: 'The user\'s public links (collection, want list, binders)' } })

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  return { shares: await listShares(await useDb(), user.id) }
})

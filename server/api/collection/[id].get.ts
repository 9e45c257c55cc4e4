import { getUserCard } from '../../collection/items'

defineRouteMeta({ openAPI: { tags: ['Collection'], summary: 'One row of the user\'s collection' } })

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  const item = await getUserCard(await useDb(), user.id, id)
  if (!item) throw createError({ statusCode: 404, message: 'Collection row not found' })
  setResponseHeader(event, 'etag', `"${item.version}"`)
  return { item }
})

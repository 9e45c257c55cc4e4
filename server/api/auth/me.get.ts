defineRouteMeta({ openAPI: { tags: ['Auth'], summary: 'The signed-in user' } })

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  return { user }
})

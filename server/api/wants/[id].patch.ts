import { wantPatchSchema } from '~~/shared/schemas/wants'
import { updateWant } from '../../wants/wants'

defineRouteMeta({ openAPI: { tags: ['Want list'], summary: 'Change the quantity wanted or the note of an entry' } })

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  const patch = await readBodyAs(event, wantPatchSchema)
  if (!await updateWant(await useDb(), user.id, id, patch)) throw createError({ statusCode: 404, message: 'Want list entry not found' })
  return { ok: true }
})

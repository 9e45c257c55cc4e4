import { boxPatchSchema } from '~~/shared/schemas/binders'
import { renameBox } from '../../binders/binders'

defineRouteMeta({ openAPI: { tags: ['Binders'], summary: 'Rename a box' } })

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  const { name } = await readBodyAs(event, boxPatchSchema)
  if (!await renameBox(await useDb(), user.id, id, name)) throw createError({ statusCode: 404, message: 'Box not found' })
  return { ok: true }
})

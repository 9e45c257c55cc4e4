import { boxCreateSchema } from '~~/shared/schemas/binders'
import { createBox } from '../../binders/binders'

defineRouteMeta({ openAPI: { tags: ['Binders'], summary: 'Create a box' } })

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const { name } = await readBodyAs(event, boxCreateSchema)
  const id = await createBox(await useDb(), user.id, name)
  setResponseStatus(event, 201)
  return { box: { id, name, copies: 0 } }
})

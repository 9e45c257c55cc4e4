import { binderFillSchema } from '~~/shared/schemas/binders'
import { fillBinder } from '../../../binders/places'

defineRouteMeta({
  openAPI: {
    tags: ['Binders'],
    summary: 'Fill a binder with a set in number order: the user\'s copies placed nowhere go into free slots from the start slot',
    description: 'With `gaps` (default), card i of the set goes to slot start + i whether owned or not, and the binder becomes that set\'s binder (its empty slots show the missing card). Without, owned cards follow one another. Slots already taken are left as they are. Answers how many were placed, missing, in the way, and past the last slot.',
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  const input = await readBodyAs(event, binderFillSchema)
  return fillBinder(await useDb(), user.id, id, input).catch(toHttpError)
})

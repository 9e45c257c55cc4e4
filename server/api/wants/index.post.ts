import { wantAddSchema } from '~~/shared/schemas/wants'
import { addWant } from '../../wants/wants'

defineRouteMeta({
  openAPI: {
    tags: ['Want list'],
    summary: 'Want copies of a card; the quantity adds to the entry of the same card and finish (null finish: any)',
    description: 'Copies added to the collection later (by hand, photo import or CSV) come off the want list: first the entry of their finish, then the any-finish one; an entry whose quantity is reached leaves the list. 422 for an unknown card or a finish it was not printed in.',
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const input = await readBodyAs(event, wantAddSchema)
  const id = await addWant(await useDb(), user.id, input).catch(toHttpError)
  setResponseStatus(event, 201)
  return { id }
})

import { moveSchema } from '~~/shared/schemas/binders'
import { moveCopies, placesOf } from '../../binders/places'

defineRouteMeta({
  openAPI: {
    tags: ['Binders'],
    summary: 'Move copies of a collection row between binder slots, boxes and nowhere, in one transaction',
    description: 'A place is `{ binderId, page, slot }`, `{ boxId }` or `null` (nowhere). A slot holds one copy: moving a copy from a slot onto a taken slot swaps the two; onto a taken slot from anywhere else is a 409, as is taking copies that are not where `from` says (the view was stale). `quantity` (default 1) counts copies moved between boxes and nowhere. Another user\'s row, binder or box is a 404. Answers the new places of the rows involved.',
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const input = await readBodyAs(event, moveSchema)
  const db = await useDb()
  const { userCardIds } = await moveCopies(db, user.id, input).catch(toHttpError)
  const places = await placesOf(db, user.id, userCardIds)
  return { places: Object.fromEntries(userCardIds.map(id => [id, places.get(id) ?? []])) }
})

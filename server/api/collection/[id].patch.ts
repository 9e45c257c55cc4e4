import { collectionPatchSchema } from '~~/shared/schemas/collection'
import { updateUserCard } from '../../collection/update'

defineRouteMeta({
  openAPI: {
    tags: ['Collection'],
    summary: 'Change a row; a new condition/language/finish/grading equal to another row of the same card merges the two',
    description: 'When the change makes this row the same kind as an existing row of the same card, both are merged in one transaction: quantities add up (422 above 9999), fields sent win, and the answer is the surviving row with `mergedFrom` naming the id that was folded into it.',
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  const patch = await readBodyAs(event, collectionPatchSchema)
  const result = await updateUserCard(await useDb(), user.id, id, patch).catch(toHttpError)
  if (!result) throw createError({ statusCode: 404, message: 'Collection row not found' })
  return result
})

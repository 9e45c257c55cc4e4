import { collectionPatchSchema } from '~~/shared/schemas/collection'
import { updateUserCard } from '../../collection/update'

defineRouteMeta({
  openAPI: {
    tags: ['Collection'],
    summary: 'Change a row; a new condition/language/finish/grading equal to another row of the same card merges the two',
    description: 'When the change makes this row the same kind as an existing row of the same card, both are merged in one transaction: quantities add up (422 above 9999), fields sent win, and the answer is the surviving row with `mergedFrom` naming the id that was folded into it. `quantityDelta` adds to the stored quantity (concurrent +1s all count; 422 below 1 or above 9999). Send the row\'s `version` (or `If-Match: "<version>"`, its ETag) to get 409 instead of overwriting a change made since you read it.',
    parameters: [{ in: 'header', name: 'If-Match', schema: { type: 'string' }, description: 'The row\'s ETag ("<version>"); 409 when it changed since' }],
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const id = getUuidParam(event)
  const { version, ...patch } = await readBodyAs(event, collectionPatchSchema)
  const expected = ifMatchVersion(event) ?? version
  const result = await updateUserCard(await useDb(), user.id, id, patch, expected).catch(toHttpError)
  if (!result) throw createError({ statusCode: 404, message: 'Collection row not found' })
  setResponseHeader(event, 'etag', `"${result.item.version}"`)
  return result
})

import { wantMissingSchema } from '~~/shared/schemas/wants'
import { addMissing } from '../../wants/wants'

defineRouteMeta({
  openAPI: {
    tags: ['Want list'],
    summary: 'Add every card of a set the user owns no copy of (one each, any finish), optionally only regular cards (numbered within the printed total), some rarities or categories',
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const { setId, ...filter } = await readBodyAs(event, wantMissingSchema)
  return addMissing(await useDb(), user.id, setId, filter).catch(toHttpError)
})

import { shareCreateSchema } from '~~/shared/schemas/shares'
import { publish } from '../../shares/shares'

defineRouteMeta({
  openAPI: {
    tags: ['Sharing'],
    summary: 'Publish the collection, the want list or a binder at an unguessable read-only link; publishing it again gives a new link and kills the old one',
    description: 'The page is `/u/{slug}/{kind}` (its data: `GET /api/public/{slug}`). It shows the cards and the owner\'s display name only: no e-mail, ids, notes, places or prices paid.',
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const input = await readBodyAs(event, shareCreateSchema)
  const share = await publish(await useDb(), user.id, input).catch(toHttpError)
  setResponseStatus(event, 201)
  return { share }
})

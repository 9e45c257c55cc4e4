import { refreshState } from '../../prices/runs'

defineRouteMeta({
  openAPI: {
    tags: ['Prices'],
    summary: 'Fetch the prices of your cards now, in the background (those not fetched in the last hours); answers 202 at once',
    description: 'Prices are refreshed every day without asking; this fetches the cards you just added. One refresh runs at a time across the server: `running: true` when one already is. 409 when prices are off (`PRICES_SOURCE=off`).',
    responses: { 202: { description: 'Started, or already running' }, 409: { description: 'Prices are off on this server' } },
  },
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  if (usePricesConfig().source === 'off') throw createError({ statusCode: 409, message: 'Market prices are turned off on this server' })
  const state = await refreshState(await useDb())
  if (!state.running) await startPriceRefresh({ userId: user.id })
  setResponseStatus(event, 202)
  return { started: !state.running, running: true }
})

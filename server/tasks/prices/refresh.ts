export default defineTask({
  meta: {
    name: 'prices:refresh',
    description: 'Fetch the prices that are due from TCGdex (each owned card about once a day), then write today\'s collection values',
  },
  async run() {
    return { result: await runPriceRefresh() }
  },
})

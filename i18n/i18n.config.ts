/**
 * vue-i18n options (@nuxtjs/i18n reads this file by its default name). French counts 0 and 1 as
 * singular ("0 carte", "1 carte", "2 cartes"); vue-i18n's default rule would pick the plural for 0
 * in two-form messages.
 */
export default defineI18nConfig(() => ({
  pluralRules: {
    fr: (choice: number, choicesLength: number) => {
      const n = Math.abs(choice)
      if (choicesLength === 3) return n === 0 ? 0 : n === 1 ? 1 : 2
      return n < 2 ? 0 : 1
    },
  },
}))

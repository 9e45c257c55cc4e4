import { PASSWORD_MIN_LENGTH, passwordRuleBroken } from '~~/shared/schemas/auth'

/** Password rules in the UI language, for the sign-up and password-change forms. */
export function useAuthPassword() {
  const { t, locale } = useI18n()

  /** Why the page refuses a password before sending it (the server checks again), or ''. */
  function check(password: string, email?: string): string {
    const broken = passwordRuleBroken(password, email)
    if (!broken) return ''
    return broken === 'length' ? t('auth.passwordTooShort', { n: PASSWORD_MIN_LENGTH }) : t(`security.password.${broken}`)
  }

  /** The server's refusal of a password (a common one): its own words in English, a sentence otherwise. */
  function fromServer(message: string): string {
    return locale.value === 'en' ? message : t('security.password.refused')
  }

  return { check, fromServer, minLength: PASSWORD_MIN_LENGTH }
}

import { z } from 'zod'

export const PASSWORD_MIN_LENGTH = 10
export const PASSWORD_MAX_LENGTH = 1024

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email().max(254)),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
})

/**
 * The rules a browser can check on its own (the server also refuses common passwords, from a list
 * too large to ship to pages): the reason a password is refused, or null.
 */
export function passwordRuleBroken(password: string, email?: string): 'length' | 'blank' | 'email' | 'repetitive' | null {
  if (password.length < PASSWORD_MIN_LENGTH) return 'length'
  const bare = password.trim().toLowerCase()
  if (bare.length < PASSWORD_MIN_LENGTH) return 'blank'
  const address = email?.trim().toLowerCase()
  if (address && (bare === address || bare === address.split('@')[0])) return 'email'
  if (new Set(bare).size < 4) return 'repetitive'
  return null
}

export const PASSWORD_RULE_MESSAGES = {
  length: `Password must have at least ${PASSWORD_MIN_LENGTH} characters`,
  blank: `Password must have at least ${PASSWORD_MIN_LENGTH} characters besides spaces`,
  email: 'Password must not be your e-mail address',
  repetitive: 'Password must use at least 4 different characters',
  common: 'This password is one of the most common ones: choose another',
} as const

// The rules of the password alone on the field, so that they are reported beside other fields' issues.
const newPasswordField = z.string().max(PASSWORD_MAX_LENGTH).superRefine((password, ctx) => {
  const broken = passwordRuleBroken(password)
  if (broken) ctx.addIssue({ code: 'custom', message: PASSWORD_RULE_MESSAGES[broken] })
})

const notTheEmail = (key: string, emailOf: (value: any) => string) => (value: Record<string, any>, ctx: z.RefinementCtx) => {
  if (passwordRuleBroken(String(value[key]), emailOf(value)) === 'email') {
    ctx.addIssue({ code: 'custom', path: [key], message: PASSWORD_RULE_MESSAGES.email })
  }
}

export const registerSchema = credentialsSchema.extend({
  password: newPasswordField,
  name: z.string().trim().min(1).max(100),
}).superRefine(notTheEmail('password', v => v.email))

/** A password change: the current one (re-authentication), then the new one under the same rules. */
export function passwordChangeSchema(email: string) {
  return z.strictObject({
    currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
    newPassword: newPasswordField,
  }).superRefine(notTheEmail('newPassword', () => email))
}

export const tokenCreateSchema = z.object({
  name: z.string().trim().min(1).max(100),
})

export type RegisterInput = z.infer<typeof registerSchema>

import { dictionary } from '@zxcvbn-ts/language-common'

/**
 * The ~49,000 most common passwords of zxcvbn-ts's common list (leaked-password corpora, French
 * ones such as `azertyuiop` included), bundled with the server: checked offline, lower case.
 */
let common: Set<string> | undefined

export function isCommonPassword(password: string): boolean {
  common ??= new Set((dictionary['passwords-common'] as string[]).map(p => p.toLowerCase()))
  const bare = password.trim().toLowerCase()
  return common.has(bare) || common.has(bare.replace(/\s+/g, ''))
}

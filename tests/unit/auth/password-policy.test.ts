import { describe, expect, it } from 'vitest'
import { isCommonPassword } from '../../../server/auth/password-policy'
import { passwordChangeSchema, passwordRuleBroken, registerSchema } from '../../../shared/schemas/auth'

describe('passwordRuleBroken', () => {
  it('refuses short, blank-only, the e-mail (or its name part) and repetitive passwords', () => {
    expect(passwordRuleBroken('short')).toBe('length')
    expect(passwordRuleBroken(' '.repeat(10))).toBe('blank')
    expect(passwordRuleBroken('  abcdefg  ')).toBe('blank')
    expect(passwordRuleBroken('Ash.Ketchum@Example.test', 'ash.ketchum@example.test')).toBe('email')
    expect(passwordRuleBroken('ash.ketchum', 'ash.ketchum@example.test')).toBe('email')
    expect(passwordRuleBroken('1111111111')).toBe('repetitive')
    expect(passwordRuleBroken('abababababab')).toBe('repetitive')
    expect(passwordRuleBroken('correct horse battery', 'ash@example.test')).toBeNull()
  })
})

describe('isCommonPassword', () => {
  it('finds common passwords of the bundled list, English and French, whatever their case', () => {
    for (const p of ['1234567890', 'qwertyuiop', 'azertyuiop', 'Password123', 'motdepasse', 'pokemon123']) expect(isCommonPassword(p), p).toBe(true)
    expect(isCommonPassword('correct horse battery')).toBe(false)
    expect(isCommonPassword('Dracaufeu-du-grenier-1999')).toBe(false)
  })
})

describe('registerSchema and passwordChangeSchema', () => {
  it('report every field at fault, the password rules included', () => {
    const result = registerSchema.safeParse({ email: 'not-an-email', password: '          ', name: '' })
    expect(result.error?.issues.map(i => i.path.join('.'))).toEqual(expect.arrayContaining(['email', 'password', 'name']))
    const same = registerSchema.safeParse({ email: 'misty@example.test', password: 'MISTY@example.test', name: 'm' })
    expect(same.error?.issues).toEqual([expect.objectContaining({ path: ['password'], message: 'Password must not be your e-mail address' })])
    expect(passwordChangeSchema('misty@example.test').safeParse({ currentPassword: 'x', newPassword: 'misty@example.test' }).success).toBe(false)
    expect(passwordChangeSchema('misty@example.test').safeParse({ currentPassword: 'x', newPassword: 'a long new secret' }).success).toBe(true)
  })
})

import { z } from 'zod'

export const PASSWORD_MIN_LENGTH = 10

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email().max(254)),
  password: z.string().min(1).max(1024),
})

export const registerSchema = credentialsSchema.extend({
  password: z.string().min(PASSWORD_MIN_LENGTH, `Password must have at least ${PASSWORD_MIN_LENGTH} characters`).max(1024),
  name: z.string().trim().min(1).max(100),
})

export const tokenCreateSchema = z.object({
  name: z.string().trim().min(1).max(100),
})

export type RegisterInput = z.infer<typeof registerSchema>

import type { H3Event } from 'h3'
import type { User } from '#auth-utils'

/**
 * The signed-in user for public routes that add personal data when they can (owned counts), else
 * null. A Bearer token that is sent but wrong still answers 401: the client meant to sign in.
 */
export async function optionalUser(event: H3Event): Promise<User | null> {
  try {
    return await requireUser(event)
  }
  catch (error) {
    const status = (error as { statusCode?: number }).statusCode
    if (status === 401 && !getHeader(event, 'authorization')) return null
    throw error
  }
}

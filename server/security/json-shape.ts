export const MAX_JSON_DEPTH = 32

/**
 * How deep a parsed JSON value nests and whether any string holds NUL, walked without recursion
 * (a body nested 100,000 deep parses, but JSON.stringify or a recursive walk overflows the stack).
 * Stops at the first level past `maxDepth`.
 */
export function inspectJson(value: unknown, maxDepth = MAX_JSON_DEPTH): { tooDeep: boolean, hasNul: boolean } {
  const stack: [unknown, number][] = [[value, 0]]
  let hasNul = false
  while (stack.length) {
    const [item, depth] = stack.pop()!
    if (typeof item === 'string') {
      if (item.includes('\0')) hasNul = true
      continue
    }
    if (!item || typeof item !== 'object') continue
    if (depth >= maxDepth) return { tooDeep: true, hasNul }
    for (const [key, child] of Object.entries(item)) {
      if (key.includes('\0')) hasNul = true
      stack.push([child, depth + 1])
    }
  }
  return { tooDeep: false, hasNul }
}

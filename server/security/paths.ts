/**
 * The one spelling of a request path that the router treats alike: query dropped, escapes decoded
 * (`%6Cogin` reaches `login`), runs of slashes collapsed, no trailing slash, lower case. Limits keyed
 * on it hold for every variant that reaches the same handler.
 */
export function canonicalPath(path: string): string {
  let p = path.split(/[?#]/, 1)[0] ?? ''
  try {
    p = decodeURIComponent(p)
  }
  catch {}
  p = p.replace(/[/\\]+/g, '/').replace(/\/$/, '').toLowerCase()
  return p || '/'
}

import { requestProtocol } from '../security/request'

/** Marks every cookie `Secure` when the request came over HTTPS (directly, or via a trusted proxy). */
export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('beforeResponse', (event) => {
    if (requestProtocol(event) !== 'https') return
    const res = event.node.res
    if (res.headersSent) return
    const cookies = res.getHeader('set-cookie')
    if (!cookies) return
    const list = Array.isArray(cookies) ? cookies : [String(cookies)]
    res.setHeader('set-cookie', list.map(c => /;\s*secure/i.test(c) ? c : `${c}; Secure`))
  })
})

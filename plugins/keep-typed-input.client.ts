/**
 * Nothing typed before the page is ready is lost. A server-rendered form can be typed into before Vue
 * has hydrated it; hydration then writes each field's (empty) state back into it, wiping what was typed
 * (a slow phone: the e-mail gone, the password cut short). From the start until hydration is over, this
 * remembers what each field holds; afterwards it puts back what hydration wiped and tells v-model (an
 * `input` event). A form sent meanwhile (Enter, a tap on its button) is not sent natively — that would
 * put the password in the URL — but once ready, through the page's own handler.
 */
type Field = HTMLInputElement | HTMLTextAreaElement

const TEXT_TYPES = new Set(['text', 'email', 'password', 'search', 'tel', 'url', 'number', ''])
const isTextField = (el: EventTarget | null): el is Field =>
  el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && TEXT_TYPES.has(el.type) && !el.readOnly)

export default defineNuxtPlugin({
  name: 'keep-typed-input',
  enforce: 'pre',
  setup(nuxtApp) {
    if (!nuxtApp.isHydrating) return
    const typed = new Map<Field, string>()
    let pendingSubmit: HTMLFormElement | null = null

    // What was typed before this script ran: fields that differ from what the server rendered.
    for (const el of document.querySelectorAll<Field>('input, textarea')) {
      if (isTextField(el) && el.value !== el.defaultValue) typed.set(el, el.value)
    }
    // Hydration can write a field's (empty) state over it while the person is still typing: the next
    // keystroke would then start from nothing. Put back what was typed before that keystroke lands.
    const onBeforeInput = (event: Event) => {
      const el = event.target
      if (!isTextField(el)) return
      const last = typed.get(el)
      if (last !== undefined && el.value !== last) el.value = last
    }
    const onInput = (event: Event) => {
      if (isTextField(event.target)) typed.set(event.target, event.target.value)
    }
    const onSubmit = (event: Event) => {
      event.preventDefault()
      event.stopImmediatePropagation()
      pendingSubmit = event.target as HTMLFormElement
    }
    document.addEventListener('beforeinput', onBeforeInput, true)
    document.addEventListener('input', onInput, true)
    document.addEventListener('submit', onSubmit, true)

    nuxtApp.hooks.hookOnce('app:suspense:resolve', () => {
      // After the directives' own mounted hooks (post-flush) have written their state into the fields.
      setTimeout(() => {
        document.removeEventListener('beforeinput', onBeforeInput, true)
        document.removeEventListener('input', onInput, true)
        document.removeEventListener('submit', onSubmit, true)
        for (const [typedInto, value] of typed) {
          // A field hydration had to re-create (a mismatch) is found again by its id.
          const el = typedInto.isConnected ? typedInto : (typedInto.id ? document.getElementById(typedInto.id) : null)
          if (!isTextField(el) || el.value === value) continue
          el.value = value
          el.dispatchEvent(new Event('input', { bubbles: true }))
        }
        typed.clear()
        const form = pendingSubmit
        pendingSubmit = null
        if (form?.isConnected) form.requestSubmit()
      }, 0)
    })
  },
})

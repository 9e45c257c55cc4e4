/** A copy of `source` that follows it after `delay` ms of quiet (search boxes). */
export function useDebounced<T>(source: Ref<T>, delay = 250): Ref<T> {
  const out = ref(source.value) as Ref<T>
  let timer: ReturnType<typeof setTimeout> | undefined
  watch(source, (value) => {
    clearTimeout(timer)
    timer = setTimeout(() => { out.value = value }, delay)
  })
  onScopeDispose(() => clearTimeout(timer))
  return out
}

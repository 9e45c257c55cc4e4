import { Chart, type ChartConfiguration, type ChartType } from 'chart.js'
import type { WatchSource } from 'vue'

/**
 * Draws a Chart.js chart on the canvas of a `.client` component: started once the canvas exists (a
 * client component's template renders after its onMounted), drawn again when `sources` change,
 * destroyed with the component. The component registers the Chart.js pieces it needs.
 */
export function useChart<T extends ChartType>(canvas: Ref<HTMLCanvasElement | null>, config: () => ChartConfiguration<T>, sources: WatchSource[]) {
  let chart: Chart<T> | undefined
  watch(canvas, (el) => {
    if (el && !chart) chart = new Chart(el, config())
  }, { flush: 'post' })
  watch(sources, () => {
    if (!chart) return
    const next = config()
    chart.data = next.data
    chart.options = next.options!
    chart.update()
  }, { deep: true })
  onBeforeUnmount(() => chart?.destroy())
}

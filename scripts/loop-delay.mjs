// Preloaded by `npm run bench:load -- --spawn` into the web process it starts
// (`node --import ./scripts/loop-delay.mjs .output/server/index.mjs`): samples the event loop's delay and
// writes its percentiles (ms) to $LOOP_DELAY_FILE every 250 ms. SIGUSR2 starts a new measurement.
import { writeFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'

const file = process.env.LOOP_DELAY_FILE
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 10 })
  histogram.enable()
  const ms = ns => Math.round(ns / 1e5) / 10
  setInterval(() => {
    writeFileSync(file, JSON.stringify({ p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), samples: histogram.count }))
  }, 250).unref()
  process.on('SIGUSR2', () => histogram.reset())
}

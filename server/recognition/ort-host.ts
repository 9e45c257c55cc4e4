import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/**
 * ONNX Runtime sessions in one worker thread. onnxruntime-node's `run` is synchronous under its
 * promise: run on the main thread, a 0.3 s detection would stall every HTTP request meanwhile. The
 * worker loads each model once and runs one inference at a time on all its intra-op threads; the
 * analyses of concurrent photos queue their runs here and do their pre/post-processing meanwhile.
 */
export interface OrtHost {
  /** Loads the models (name → .onnx path); rejects with the runtime's message if one is missing or broken. */
  load: (models: Record<string, string>) => Promise<void>
  /**
   * Runs a model on one float32 NCHW tensor. `argmax`: per position of the last axis, the best
   * index and its value, among the classes `argmax` allows (1) when it is a mask.
   */
  run: (model: string, data: Float32Array, dims: number[], argmax?: boolean | Uint8Array) => Promise<OrtOutput>
  close: () => Promise<void>
}

export interface OrtOutput {
  dims: number[]
  /** The output tensor, or with `argmax` the best value per position. */
  data: Float32Array
  /** With `argmax`: the best index per position (among the allowed classes). */
  index?: Int32Array
  /** With `argmax`: the best index per position and its value among all classes, whatever the mask. */
  anyIndex?: Int32Array
  anyData?: Float32Array
}

// Plain CommonJS, evaluated as the worker's source (nothing to bundle or trace but onnxruntime-node).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const ort = require(workerData.ort)
const sessions = new Map()
parentPort.on('message', async (m) => {
  try {
    if (m.type === 'load') {
      for (const [name, path] of Object.entries(m.models)) sessions.set(name, await ort.InferenceSession.create(path, workerData.options))
      parentPort.postMessage({ id: m.id })
      return
    }
    const session = sessions.get(m.model)
    if (!session) throw new Error('model not loaded: ' + m.model)
    const out = (await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', m.data, m.dims) }))[session.outputNames[0]]
    const dims = Array.from(out.dims)
    if (!m.argmax) {
      const data = new Float32Array(out.data)
      parentPort.postMessage({ id: m.id, dims, data }, [data.buffer])
      return
    }
    const all = out.data, classes = dims[dims.length - 1], n = all.length / classes, mask = m.argmax === true ? null : m.argmax
    const data = new Float32Array(n), index = new Int32Array(n), anyData = new Float32Array(n), anyIndex = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      let best = 0, value = -Infinity, any = 0, anyValue = -Infinity
      for (let c = 0, o = i * classes; c < classes; c++, o++) {
        const v = all[o]
        if (v > anyValue) { anyValue = v; any = c }
        if (v > value && (!mask || mask[c])) { value = v; best = c }
      }
      data[i] = value
      index[i] = best
      anyData[i] = anyValue
      anyIndex[i] = any
    }
    parentPort.postMessage({ id: m.id, dims, data, index, anyData, anyIndex }, [data.buffer, index.buffer, anyData.buffer, anyIndex.buffer])
  }
  catch (error) {
    parentPort.postMessage({ id: m.id, error: String((error && error.message) || error) })
  }
})
`

interface Pending { resolve: (value: OrtOutput) => void, reject: (error: Error) => void }

export function createOrtHost(threads: number): OrtHost {
  const require = createRequire(import.meta.url)
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      // Resolved here: the eval'd worker has no module path of its own to resolve from.
      ort: require.resolve('onnxruntime-node'),
      options: {
        intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', enableCpuMemArena: false,
        // Idle threads sleep instead of spinning: the cores are shared with decoding, detection and other requests.
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      },
    },
  })
  // An idle host must not keep a finished process (a script, a test run) alive.
  worker.unref()
  const pending = new Map<number, Pending>()
  let next = 0
  let failed: Error | null = null
  const failAll = (error: Error) => {
    failed = error
    for (const p of pending.values()) p.reject(error)
    pending.clear()
  }
  worker.on('message', (m: { id: number, error?: string } & Partial<OrtOutput>) => {
    const p = pending.get(m.id)
    if (!p) return
    pending.delete(m.id)
    if (pending.size === 0) worker.unref()
    if (m.error) p.reject(new Error(m.error))
    else p.resolve({ dims: m.dims ?? [], data: m.data ?? new Float32Array(), index: m.index, anyData: m.anyData, anyIndex: m.anyIndex })
  })
  worker.on('error', error => failAll(error as Error))
  worker.on('exit', () => failAll(new Error('ONNX Runtime worker exited')))

  function call(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<OrtOutput> {
    if (failed) return Promise.reject(failed)
    const id = next++
    worker.ref()
    return new Promise<OrtOutput>((resolve, reject) => {
      pending.set(id, { resolve, reject })
      worker.postMessage({ ...message, id }, transfer)
    })
  }

  return {
    load: async (models) => {
      await call({ type: 'load', models })
    },
    run: (model, data, dims, argmax = false) => call({ type: 'run', model, data, dims, argmax }, [data.buffer as ArrayBuffer]),
    close: async () => {
      failed ??= new Error('ONNX Runtime host is closed')
      await worker.terminate()
    },
  }
}

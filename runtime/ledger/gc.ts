/**
 * Forced garbage collection in any Vitest pool.
 *
 * `--expose-gc` in `execArgv` breaks the threads pool (workers reject it), so the flag is switched on at run time just long
 * enough to create a fresh `vm` context — V8 installs `gc` in contexts created while the flag is on — and switched off
 * again, so that contexts made later (the vmThreads pool makes one per file) get no stray `gc` global. The technique is
 * jest-leak-detector's (behind Jest's `--detectLeaks`).
 */
import { constants, performance, PerformanceObserver } from 'node:perf_hooks'
import { setImmediate as nextTask } from 'node:timers/promises'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

let gcFunction: (() => void) | undefined

function resolveGc(): () => void {
  const exposed = (globalThis as { gc?: unknown }).gc
  if (typeof exposed === 'function') return exposed as () => void
  setFlagsFromString('--expose-gc')
  try {
    return runInNewContext('gc') as () => void
  } finally {
    setFlagsFromString('--no-expose-gc')
  }
}

/** Runs a full, synchronous garbage collection of the whole isolate. */
export function collectGarbage(): void {
  gcFunction ??= resolveGc()
  gcFunction()
}

/**
 * Waits for the next macrotask, then collects garbage. `WeakRef#deref()` and `new WeakRef()` keep their target alive
 * until the current job ends (the KeepDuringJob set), so a collection in the same job as a `deref` proves nothing.
 * `node:timers/promises` is used because fake timers replace only the globals.
 */
export async function collectGarbageSoon(): Promise<void> {
  await nextTask()
  collectGarbage()
}

// When V8 last started a full collection of its own accord (or ours), on the `performance.now()` clock.
let lastFull = Number.NEGATIVE_INFINITY
let watching = false

/**
 * Starts noting V8's full collections (`gc` performance entries of kind major); idempotent. Every long run has them
 * anyway, and an object that was unreachable when one started is gone after it, so a check may read its weak references
 * without forcing a collection of its own. Where `gc` entries are not delivered, only forced collections count.
 */
export function watchFullCollections(): void {
  if (watching) return
  watching = true
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = (entry as { detail?: { kind?: number } }).detail?.kind
        if (kind === constants.NODE_PERFORMANCE_GC_MAJOR && entry.startTime > lastFull) lastFull = entry.startTime
      }
    }).observe({ entryTypes: ['gc'] })
  } catch {
    // No gc entries in this runtime: every check forces its collection.
  }
}

/** When the last full collection that was noted started (`performance.now()` time); `-Infinity` before the first. */
export function lastFullCollection(): number {
  return lastFull
}

/** Now, on the clock of `lastFullCollection()`. */
export function gcClock(): number {
  return performance.now()
}

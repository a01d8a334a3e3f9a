/**
 * Forced garbage collection in any Vitest pool.
 *
 * `--expose-gc` in `execArgv` breaks the threads pool (workers reject it), so the flag is switched on at run time just long
 * enough to create a fresh `vm` context — V8 installs `gc` in contexts created while the flag is on — and switched off
 * again, so that contexts made later (the vmThreads pool makes one per file) get no stray `gc` global. The technique is
 * jest-leak-detector's (behind Jest's `--detectLeaks`).
 */
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

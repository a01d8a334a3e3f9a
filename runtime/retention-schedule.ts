/**
 * When `retention: 'file'` runs its check. A check forces full garbage collections, whose cost grows with the heap: after
 * every file of a long `isolate: false` run they would cost more than the tests themselves (measured on the 120-file
 * benchmark suite: about a quarter of the run). So file-end checks are spread out: one is skipped while checks have taken
 * more than a tenth of the time since the worker's first file started, and the finished tests' objects wait for the next
 * check, which still attributes them to the tests that owned them. The last file of the worker's batch is always checked,
 * so no finished test is left unchecked. With `leaks: 'error'` every file is checked: a retained object must fail the file
 * whose test kept it, not a later one.
 */
import type { RunnerTestFile } from 'vitest'
import { state } from './state.ts'

/** The most of the run's time that file-end retention checks may take. */
const CHECK_SHARE = 0.1

let firstFileStart: number | undefined
let spentMs = 0

/** Notes the start of a file (the budget counts from the worker's first file). */
export function noteFileStart(): void {
  firstFileStart ??= performance.now()
}

// Vitest hands each worker its batch of files (`ctx.files`) on its internal worker state; when it cannot be read, every
// file counts as the last one, and every file is checked.
function isLastOfBatch(file: RunnerTestFile): boolean {
  const worker = (globalThis as { __vitest_worker__?: { ctx?: { files?: unknown } } }).__vitest_worker__
  const files = worker?.ctx?.files
  if (!Array.isArray(files) || files.length === 0) return true
  const last = files[files.length - 1] as string | { filepath?: string } | undefined
  const path = typeof last === 'string' ? last : last?.filepath
  return path === undefined || path === file.filepath
}

function strict(): boolean {
  return state.options?.leaks === 'error'
}

/** Runs `check` at the end of `file` unless the budget says to leave it to a later file's check. */
export async function fileEndRetention(file: RunnerTestFile, check: () => Promise<unknown>): Promise<void> {
  const started = performance.now()
  const overBudget = firstFileStart !== undefined && spentMs > CHECK_SHARE * (started - firstFileStart)
  if (overBudget && !strict() && !isLastOfBatch(file)) return
  await check()
  spentMs += performance.now() - started
}

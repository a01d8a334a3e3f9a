/**
 * When `retention: 'file'` forces its garbage collection. A forced collection costs time that grows with the heap, and
 * after every file of a long `isolate: false` run the collections would cost more than the tests. V8 runs full
 * collections of its own anyway, so at most file ends the check forces none and reads only what V8 has collected since
 * (`Ledger#checkRetention({ collect: false })`); the other tests' objects wait for a later check, which still names the
 * tests that owned them. A collection is forced where the check must be complete: at the last file of the worker's
 * batch (no finished test is left unchecked) and, under `leaks: 'error'`, at every file (a retained object must fail
 * the file whose test kept it).
 */
import type { RunnerTestFile } from 'vitest'

/**
 * Whether `file` is the last of the batch Vitest handed this worker (`ctx.files` on its internal worker state); `true` when
 * that cannot be read, so that every file is checked then.
 */
export function isLastOfBatch(file: RunnerTestFile): boolean {
  const worker = (globalThis as { __vitest_worker__?: { ctx?: { files?: unknown } } }).__vitest_worker__
  const files = worker?.ctx?.files
  if (!Array.isArray(files) || files.length === 0) return true
  const last = files[files.length - 1] as string | { filepath?: string } | undefined
  const path = typeof last === 'string' ? last : last?.filepath
  return path === undefined || path === file.filepath
}

/**
 * When `retention: 'file'` runs its check. A check forces a full garbage collection, whose cost grows with the heap: after
 * every file of a long `isolate: false` run the collections would cost more than the tests themselves. So file-end checks
 * are spread out: one is skipped while checks have taken more than a tenth of the time since the worker's first file
 * started, and the finished tests' objects wait for the next check, which still attributes them to the tests that owned
 * them. A check is never skipped where it must run: the last file of the worker's batch (so no finished test is left
 * unchecked) and, under `leaks: 'error'`, every file (a retained object must fail the file whose test kept it).
 */
import type { RunnerTestFile } from 'vitest'

/** The most of the run's time that file-end retention checks may take. */
const CHECK_SHARE = 0.1

/** Decides which file ends run the retention check, keeping the checks within a share of the run's time. */
export class RetentionSchedule {
  #firstFileStart: number | undefined
  #spentMs = 0

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Notes the start of a file (the budget counts from the first one). */
  fileStarted(): void {
    this.#firstFileStart ??= this.now()
  }

  /** Runs `check` at a file's end unless it may wait for a later file's check; returns whether it ran. */
  async fileEnded(check: () => Promise<unknown>, mustCheck: boolean): Promise<boolean> {
    const started = this.now()
    const first = this.#firstFileStart ?? started
    if (!mustCheck && this.#spentMs > CHECK_SHARE * (started - first)) return false
    await check()
    this.#spentMs += this.now() - started
    return true
  }
}

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

/** The schedule of this copy of the runtime (a worker's, with `isolate: false`). */
export const retentionSchedule = new RetentionSchedule()

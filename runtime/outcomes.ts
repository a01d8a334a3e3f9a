/**
 * Where findings go. Vitest sends a test's `task.meta` with its result, once, when the test ends — so a finding goes to
 * the `meta.isolation.findings` of the test it is attributed to while that test's `aroundEach` still runs, and otherwise
 * (a `retained` object of an earlier test, the first user of a module-scope instance that a later test shares) to the
 * meta of the file that ends next, which Vitest sends with the file's result. The reporter reads both.
 *
 * With `leaks: 'error'` the test fails with the findings' text when its `aroundEach` ends; a `retained` finding made
 * after its test ended fails the file instead. A late `shared-instance` needs no failure of its own: it is always made
 * together with the finding of the running test that shares the instance, which fails.
 */
import type { RunnerTestFile } from 'vitest'
import { IsolationLeakError } from './errors.ts'
import type { Owner } from './ledger/index.ts'
import type { Finding, IsolationMeta } from './report/types.ts'
import { state, type LiveTest } from './state.ts'

/** The `meta.isolation` of a task, created on first use. */
export function isolationMeta(task: { meta: object }): IsolationMeta {
  const meta = task.meta as { isolation?: IsolationMeta }
  return (meta.isolation ??= {})
}

/** Whether findings fail tests (`leaks: 'error'`, or `VITEST_ISOLATION_LEAKS=error`). */
export function failsOnLeaks(): boolean {
  return state.options?.leaks === 'error'
}

/** The ledger's `onFinding`: the finding goes to the test it is attributed to, or waits for the end of the file. */
export function routeFinding(finding: Finding, scope: Owner): void {
  const live = scope.kind === 'test' ? state.live.get(scope.id) : undefined
  if (live === undefined) {
    state.late.push(finding)
    return
  }
  ;(live.meta.findings ??= []).push(finding)
  if (failsOnLeaks()) live.failures.push(finding)
}

/** A test's `aroundEach` started: findings attributed to it go to its meta from now on. */
export function testOpened(id: string, task: { meta: object }, isolated: boolean): LiveTest {
  const meta = isolationMeta(task)
  if (isolated) meta.isolated = true
  const live: LiveTest = { meta, failures: [] }
  state.live.set(id, live)
  return live
}

/** A test's `aroundEach` ends: later findings for it are late; returns the error that fails it, if any. */
export function testClosed(id: string, live: LiveTest): IsolationLeakError | undefined {
  if (state.live.get(id) === live) state.live.delete(id)
  if (live.failures.length === 0) return undefined
  const failures = live.failures.splice(0)
  return new IsolationLeakError(failures)
}

/** A file ends: it carries the late findings in its meta; returns the error that fails it, if any. */
export function fileClosed(file: RunnerTestFile): IsolationLeakError | undefined {
  if (state.late.length === 0) return undefined
  const late = state.late.splice(0)
  const meta = isolationMeta(file)
  ;(meta.findings ??= []).push(...late)
  // A late shared-instance always comes with the finding of the test that shared the instance, which failed already.
  const failures = failsOnLeaks() ? late.filter((finding) => finding.kind !== 'shared-instance') : []
  return failures.length > 0 ? new IsolationLeakError(failures) : undefined
}

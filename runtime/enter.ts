/**
 * Entering a test: the body of the one global `aroundEach` hook. It opens a slot for the test attempt, makes it current
 * for everything `runTest()` runs (beforeEach, the test, afterEach, onTestFinished/onTestFailed), then disposes the
 * slot's resources after `afterEach` and releases it. Around that, it tells the ledger when the test starts and ends,
 * checks the globals an isolated test left changed, and fails the test with its findings under `leaks: 'error'`.
 */
import { vi, type RunnerTestCase, type RunnerTestFile, type TestContext } from 'vitest'
import { defineContextResources } from './current.ts'
import type { IsolationLeakError } from './errors.ts'
import type { GlobalsToken } from './ledger/index.ts'
import { failsOnLeaks, fileClosed, testClosed, testOpened } from './outcomes.ts'
import { isLastOfBatch } from './retention-schedule.ts'
import { TestSlot } from './slot.ts'
import { state, type LiveTest } from './state.ts'

/** Whether `task` or an ancestor suite carries an `@isolate` marker. */
function isMarkedTask(task: RunnerTestCase): boolean {
  for (let node: { suite?: object } | undefined = task; node; node = (node as { suite?: object }).suite) {
    if (state.marked.has(node)) return true
  }
  return false
}

/** Whether `task` is isolated: its file has `isolateAll` (a file marker, or `mode: 'all'`), or it is marked. */
export function isIsolatedTask(task: RunnerTestCase): boolean {
  return state.files.get(task.file.name)?.meta.isolateAll === true || isMarkedTask(task)
}

/**
 * Whether `task`'s async resources are created before its hooks: only for a test a user marked (on the test, a suite or
 * the file). `mode: 'all'` isolates every test without anyone asking for resources, and must not run factories — with
 * their side effects — for tests that never use them.
 */
function preparesResources(task: RunnerTestCase, isolated: boolean): boolean {
  return isolated && (state.options?.mode !== 'all' || isMarkedTask(task))
}

/** Runs `runTest` as the test of `context`, in its own slot. */
export async function enterTest(runTest: () => Promise<void>, context: TestContext): Promise<void> {
  const task = context.task as RunnerTestCase
  const slot = new TestSlot(task, state.files.get(task.file.name), isIsolatedTask(task))
  defineContextResources(context, slot)
  const live = testOpened(task.id, task, slot.isolated)
  // Never a path that retains a test's object: our slot (timers started in the test keep it as their async context) and
  // Vitest's bookkeeping (the task tree, the context that holds fixture values).
  state.ledger?.ignore(slot)
  state.ledger?.ignore(task)
  state.ledger?.ignore(context)
  state.ledger?.ignore(task.file)
  state.ledger?.testStarted(slot.owner)
  const globals = state.ledger?.snapshotGlobals(slot.owner)
  const errors: unknown[] = []
  try {
    await state.als.run(slot, async () => {
      if (preparesResources(task, slot.isolated)) await slot.prepare()
      await runTest()
    })
  } catch (error) {
    errors.push(error)
  }
  try {
    await slot.release()
  } catch (error) {
    errors.push(error)
  }
  try {
    const leak = await endTest(slot, live, globals)
    if (leak !== undefined) errors.push(leak)
  } catch (error) {
    errors.push(error)
  }
  if (errors.length === 1) throw errors[0]
  // Vitest reports each error of an AggregateError on its own.
  if (errors.length > 1) throw new AggregateError(errors, `[vitest-isolation] "${slot.info.fullName}" failed in several ways.`)
}

/** Tells the ledger the test ended (after its resources were disposed) and returns the error that fails it, if any. */
async function endTest(slot: TestSlot, live: LiveTest, globals: GlobalsToken | undefined): Promise<IsolationLeakError | undefined> {
  const ledger = state.ledger
  if (ledger !== undefined) {
    try {
      // With another test still running the ledger attributes no change (it overlapped), and unstubbing now would
      // take that test's stubs away.
      if (globals !== undefined && state.live.size === 1) {
        // Vitest undoes vi.stubGlobal/vi.stubEnv only before the *next* test; the change is not this test's to report.
        if (state.options?.unstubGlobals) vi.unstubAllGlobals()
        if (state.options?.unstubEnvs) vi.unstubAllEnvs()
        ledger.checkGlobals(slot.owner, globals)
      }
    } finally {
      // Always: a test left "running" would make every later test look concurrent with it.
      ledger.testFinished(slot.owner)
    }
    if (state.options?.retention === 'test') await ledger.checkRetention()
  }
  return testClosed(slot.task.id, live)
}

/** The file's suite starts running: code outside tests (beforeAll/afterAll) now belongs to its module scope. */
export function fileStarted(file: RunnerTestFile): void {
  state.phase = { kind: 'running', file: file.name }
}

/**
 * The file's suite ends (after its own afterAll hooks): finished tests' objects are checked for retention
 * (`retention: 'file'`), the file carries the findings made after their tests ended, and fails with them under
 * `leaks: 'error'`.
 */
export async function fileEnded(file: RunnerTestFile): Promise<void> {
  try {
    const ledger = state.ledger
    if (ledger !== undefined) {
      if (state.options?.retention === 'file') await ledger.checkRetention({ collect: failsOnLeaks() || isLastOfBatch(file) })
      ledger.fileFinished(file.name)
    }
    const leak = fileClosed(file)
    if (leak !== undefined) throw leak
  } finally {
    state.phase = undefined
  }
}

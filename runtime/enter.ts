/**
 * Entering a test: the body of the one global `aroundEach` hook. It opens a slot for the test attempt, makes it current
 * for everything `runTest()` runs (beforeEach, the test, afterEach, onTestFinished/onTestFailed), then disposes the
 * slot's resources after `afterEach` and releases it. Around that, it tells the ledger when the test starts and ends,
 * checks the globals an isolated test left changed, and fails the test with its findings under `leaks: 'error'`.
 */
import type { RunnerTestCase, RunnerTestFile, TestContext } from 'vitest'
import { defineContextResources } from './current.ts'
import type { IsolationLeakError } from './errors.ts'
import { fileRunEnds, fileRunStarts, openTestJournal, settleAnnotations, testEnds, testStarts, type TestJournal } from './journaling.ts'
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
  const journal = openTestJournal(slot)
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
    const leak = await endTest(slot, live, journal, context)
    if (leak !== undefined) errors.push(leak)
  } catch (error) {
    errors.push(error)
  }
  if (errors.length === 1) throw errors[0]
  // Vitest reports each error of an AggregateError on its own.
  if (errors.length > 1) throw new AggregateError(errors, `[vitest-isolation] "${slot.info.fullName}" failed in several ways.`)
}

/** The runtime's first `beforeEach`: the test's own hooks and code start now. */
export function testCodeStarts(): void {
  testStarts()
}

/**
 * Tells the journal and the ledger the test ended (after its resources were disposed) and returns the error that fails
 * it, if any.
 */
async function endTest(slot: TestSlot, live: LiveTest, journal: TestJournal | undefined, context: TestContext): Promise<IsolationLeakError | undefined> {
  if (journal !== undefined) testEnds(slot, journal, context)
  const ledger = state.ledger
  if (ledger !== undefined) {
    // Always: a test left "running" would make every later test look concurrent with it.
    ledger.testFinished(slot.owner)
    if (state.options?.retention === 'test') await ledger.checkRetention()
  }
  return testClosed(slot.task.id, live)
}

/** The file's suite starts running: code outside tests (beforeAll/afterAll) now belongs to its module scope. */
export function fileStarted(file: RunnerTestFile): void {
  state.phase = { kind: 'running', file: file.name }
  fileRunStarts(file)
}

/**
 * The file's suite ends (after its own afterAll hooks): finished tests' objects are checked for retention
 * (`retention: 'file'`), the file carries the findings made after their tests ended, and fails with them under
 * `leaks: 'error'`.
 */
export async function fileEnded(file: RunnerTestFile): Promise<void> {
  try {
    fileRunEnds(file, state.files.get(file.name)?.meta.isolateAll === true)
    await settleAnnotations()
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

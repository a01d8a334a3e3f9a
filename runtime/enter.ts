/**
 * Entering a test: the body of the one global `aroundEach` hook. It opens a slot for the test attempt, makes it current
 * for everything `runTest()` runs (beforeEach, the test, afterEach, onTestFinished/onTestFailed), then disposes the
 * slot's resources after `afterEach` and releases it.
 */
import type { RunnerTestCase, TestContext } from 'vitest'
import { defineContextResources } from './current.ts'
import { TestSlot } from './slot.ts'
import { state } from './state.ts'

/** Whether `task` is isolated: its file has `isolateAll`, or it or an ancestor suite carries a marker. */
export function isIsolatedTask(task: RunnerTestCase): boolean {
  if (state.files.get(task.file.name)?.meta.isolateAll) return true
  for (let node: { suite?: object } | undefined = task; node; node = (node as { suite?: object }).suite) {
    if (state.marked.has(node)) return true
  }
  return false
}

/** Runs `runTest` as the test of `context`, in its own slot. */
export async function enterTest(runTest: () => Promise<void>, context: TestContext): Promise<void> {
  const task = context.task as RunnerTestCase
  const scope = state.files.get(task.file.name)
  const slot = new TestSlot(task, scope, isIsolatedTask(task))
  if (slot.isolated) defineContextResources(context, slot)
  try {
    await state.als.run(slot, async () => {
      if (slot.isolated) await slot.prepare()
      await runTest()
    })
  } finally {
    await slot.release()
  }
}

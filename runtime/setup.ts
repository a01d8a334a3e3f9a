/**
 * The setup file the plugin puts first in `test.setupFiles`. Vitest evaluates it before every test file (also with
 * `isolate: false`), so this one top-level `aroundEach` is the outermost wrapper of every test of every file, and its
 * `beforeAll`/`afterAll` bracket the whole file: the first `beforeAll` and (hooks run as a stack) the last `afterAll`.
 */
import { afterAll, aroundEach, beforeAll, beforeEach, inject, TestRunner, type RunnerTestFile, type TestContext } from 'vitest'
import { enterTest, fileEnded, fileStarted, testCodeStarts } from './enter.ts'
import { importsStart, runtimeHooks, startJournal } from './journaling.ts'
import { PROVIDE_KEY } from './provided.ts'
import { state } from './state.ts'
import { startLedger } from './tracking.ts'

state.options = inject(PROVIDE_KEY) ?? state.options
startLedger()
startJournal()

// The file being collected: its module, the modules it imports and its describe bodies are evaluated from now on.
const collecting = (TestRunner.getCurrentSuite() as { file?: RunnerTestFile }).file
if (collecting !== undefined) {
  state.phase = { kind: 'collecting', file: collecting.name }
  importsStart(collecting.name)
}

// The hooks registered below are the runtime's own: the journal brackets the user's hooks, never these.
const collector = TestRunner.getCurrentSuite() as { suite?: Parameters<typeof TestRunner.getSuiteHooks>[0] }
const hooksBefore = collector.suite ? hookSet(collector.suite) : new Set<unknown>()

// Vitest reads a hook's first parameter to find the fixtures it destructures, so the suite (the second argument) is
// taken from `arguments`; see the aroundEach below.
beforeAll(function isolationFileStart() {
  // eslint-disable-next-line prefer-rest-params
  fileStarted(arguments[1] as RunnerTestFile)
})

afterAll(function isolationFileEnd() {
  // eslint-disable-next-line prefer-rest-params
  return fileEnded(arguments[1] as RunnerTestFile)
})

// The first beforeEach of every test: Vitest's own restoring of mocks and stubs is done, the test's hooks and code follow.
beforeEach(function isolationTestStart() {
  testCodeStarts()
})

aroundEach(function isolationAroundEach(runTest: () => Promise<void>) {
  // Vitest reads this function's source to find the fixtures it destructures from its second parameter; a plain parameter
  // there is rejected, and a pattern would request fixtures. So the context is taken from `arguments`.
  // eslint-disable-next-line prefer-rest-params
  return enterTest(runTest, arguments[1] as TestContext)
})

if (collector.suite) for (const hook of hookSet(collector.suite)) if (!hooksBefore.has(hook)) runtimeHooks.add(hook as object)

function hookSet(suite: Parameters<typeof TestRunner.getSuiteHooks>[0]): Set<unknown> {
  const hooks = TestRunner.getSuiteHooks(suite)
  return new Set<unknown>([...hooks.beforeAll, ...hooks.afterAll, ...hooks.beforeEach, ...hooks.afterEach])
}

/**
 * The state journal wired into the runtime: one `Journal` per worker on the shared state, and the checkpoints the
 * runtime's hooks give it — a file's imports and own code, the user's hooks, each test's start and end — plus what
 * comes out of it: the likely causes on a failed test, `global-mutation` findings, and a file's summary of what it left
 * changed.
 */
import type { RunnerTestCase, RunnerTestFile, TestContext } from 'vitest'
import { mutationHint } from './journal/globals.ts'
import { bracketHooks, type HookBrackets } from './journal/hooks.ts'
import { describe, Journal, NOBODY, type Actor, type Dirty } from './journal/journal.ts'
import { isolationMeta, routeFinding } from './outcomes.ts'
import { formatCauses } from './report/format.ts'
import type { Finding, Place, StateChange } from './report/types.ts'
import { state } from './state.ts'
import type { TestSlot } from './slot.ts'

/** What one test attempt's journal needs between its start and its end. */
export interface TestJournal {
  readonly actor: Actor
  /** The test's own set-up, which is no earlier test's pollution: its suites' hooks and its file's top level. */
  readonly own: Set<string>
  /** The checkpoint at which the test started. */
  since: number
}

/** The journal of this worker, created when the options allow it; `undefined` with `journal: 'off'`. */
export function startJournal(): Journal | undefined {
  if (state.journal !== undefined) return state.journal
  if (state.options === undefined || state.options.journal === 'off') return undefined
  state.journal = new Journal({
    ignoreGlobals: state.options.ignoreGlobals,
      skip: (value) => value === state,
  })
  return state.journal
}

/** Concurrent tests: no window can be charged to one of them. */
function alone(actor: Actor): Actor {
  return state.live.size > 1 ? NOBODY : actor
}

function moduleActorId(file: string): string {
  return `module:${file}`
}

/** The test file whose own code has started (its imports are evaluated). */
let started: string | undefined

/**
 * A test file is about to be imported: what its imports add is their initial state. Only Vitest ran since the last
 * checkpoint (the previous file's end), so nothing is looked at.
 */
export function importsStart(file: string): void {
  started = undefined
  state.journal?.checkpoint({ kind: 'imports', id: `imports:${file}`, place: { file, test: null }, runs: 0 }, false)
}

/**
 * The test file's own code starts (its imports are evaluated): changes are its module evaluation's. Called by the
 * first statement of a transformed test file (the prologue's `file()` or the journal's start call; a file may have both).
 */
export function moduleStart(file: string): void {
  if (started === file) return
  started = file
  state.journal?.checkpoint({ kind: 'module', id: moduleActorId(file), place: { file, test: null }, runs: 0 })
}

/** The top-level bindings of a module of the project, registered when its evaluation ends. */
export function addModuleState(file: string, roots: readonly (readonly [string, number, () => unknown])[]): void {
  state.journal?.addModule(file, roots)
}

let lastWasEachEnd = false

const brackets: HookBrackets = {
  enter(actor) {
    const journal = state.journal
    if (journal === undefined) return
    // A `beforeEach`/`beforeAll` starts right after a checkpoint (the test's start, another hook, the previous test's
    // end): only Vitest ran since. An `afterEach` closes the test's own window, unless another afterEach just did.
    const look = actor.hook === 'afterEach' ? !lastWasEachEnd : actor.hook === 'afterAll'
    journal.checkpoint(alone(actor), look)
  },
  leave(actor) {
    const journal = state.journal
    if (journal === undefined) return
    const slot = state.als.getStore()
    const test = slot !== undefined ? tests.get(slot) : undefined
    journal.checkpoint(test !== undefined ? alone(test.actor) : NOBODY)
    lastWasEachEnd = actor.hook === 'afterEach'
  },
}

const tests = new WeakMap<TestSlot, TestJournal>()
/** The file whose failed test swept quiet large modules (once per file: sweeps cost as much as the modules are large). */
let swept: RunnerTestFile | undefined
const ownHooks = new WeakMap<object, Map<object, Actor[]>>()

/** The runtime's own hooks (as Vitest holds them), which are never bracketed. */
export const runtimeHooks = new WeakSet<object>()

/** The file's suite starts: every hook of it is bracketed by checkpoints. */
export function fileRunStarts(file: RunnerTestFile): void {
  const journal = state.journal
  if (journal === undefined) return
  // A sweep: what the file's top level did to large quiet modules is its own, not charged with its tests' changes (a
  // file of one test then gets that test's changes to them by name).
  journal.checkpoint(NOBODY, true, true)
  swept = undefined
  ownHooks.set(file, bracketHooks(file, brackets, runtimeHooks))
}

/** Opens the journal of a test attempt (from the runtime's `aroundEach`). */
export function openTestJournal(slot: TestSlot): TestJournal | undefined {
  const journal = state.journal
  if (journal === undefined) return undefined
  const task = slot.task
  const own = new Set<string>()
  const suites = ownHooks.get(task.file)
  for (const suite of [...ancestors(task), task.file]) for (const actor of suites?.get(suite) ?? []) own.add(actor.id)
  own.add(moduleActorId(task.file.name))
  const owner = slot.owner
  const place: Place = { file: owner.file, test: owner.test }
  // Read when a cause is told: the owner finds the test's line on first need, and most tests never need it.
  Object.defineProperties(place, {
    line: { get: () => owner.line, enumerable: true, configurable: true },
    column: { get: () => owner.column, enumerable: true, configurable: true },
  })
  const test: TestJournal = { actor: { kind: 'test', id: task.id, place, runs: 0 }, own, since: journal.now }
  tests.set(slot, test)
  return test
}

function ancestors(task: RunnerTestCase): object[] {
  const suites: object[] = []
  for (let suite = task.suite; suite !== undefined; suite = suite.suite) suites.push(suite)
  return suites
}

/** The test's own code starts (Vitest's restoring of mocks and stubs is behind it): the runtime's first `beforeEach`. */
export function testStarts(): void {
  const journal = state.journal
  const slot = state.als.getStore()
  const test = slot !== undefined ? tests.get(slot) : undefined
  if (journal === undefined || test === undefined) return
  const options = state.options
  // Only Vitest ran since the previous test's end, and it changes state only when told to restore or unstub.
  const look = options?.restores === true
  journal.checkpoint(alone(test.actor), look)
  test.since = journal.now
  lastWasEachEnd = false
  flushAwaitingRestore(journal)
}

/** Isolated tests that ended while Vitest still had to restore their mocks and stubs. */
const awaitingRestore: Actor[] = []

function flushAwaitingRestore(journal: Journal): void {
  for (const actor of awaitingRestore.splice(0)) reportMutations(journal, actor, undefined)
}

/** The `global-mutation` findings of what `actor` (an isolated test) left changed. */
function reportMutations(journal: Journal, actor: Actor, owner: TestSlot['owner'] | undefined): void {
  for (const dirty of journal.select((d) => d.by === actor && isGlobal(d))) report(mutation(dirty), owner)
}

/**
 * The test attempt ended (its resources are disposed): its window closes. A failed test gets its likely causes in its
 * meta and as an annotation; an isolated test's own changes to globals are `global-mutation` findings.
 */
export function testEnds(slot: TestSlot, test: TestJournal, context: TestContext): void {
  const journal = state.journal
  if (journal === undefined) return
  const task = slot.task
  // A failed test's causes may be in large modules followed only at sweeps: the first failure of a file sweeps them.
  const sweep = task.result?.state === 'fail' && swept !== task.file
  if (sweep) swept = task.file
  journal.checkpoint(NOBODY, true, sweep)
  if (slot.isolated && state.live.size === 1) {
    // With restoreMocks or unstubGlobals, Vitest undoes spies and stubs before the *next* test: what the test left
    // changed is known only then.
    if (state.options?.restores === true) awaitingRestore.push(test.actor)
    else reportMutations(journal, test.actor, slot.owner)
  }
  if (task.result?.state !== 'fail') return
  const causes = journal.causes(test.actor, test.own, test.since)
  if (causes.length === 0) return
  const meta = isolationMeta(task)
  meta.causes = causes
  // The report's list of failures names the test's line; Vitest records none unless `includeTaskLocation` is on.
  const line = slot.owner.line
  if (line !== undefined) meta.line = line
  annotate(task, context, formatCauses(causes, task.file.name, task.fullTestName ?? task.name, state.options?.configFile ?? null))
}

/** Annotations sent and not yet acknowledged by the main process. */
const annotations = new Set<Promise<unknown>>()

/**
 * Vitest accepts annotations only while the test's state is `run` (a check it makes synchronously); its failure is
 * already recorded when the runtime's `aroundEach` regains control, so the state reads `run` for that check only. The
 * main process's answer is not waited for here (a round trip per failed test, 3 ms on a loaded machine): the file's end
 * waits for all of them (`settleAnnotations`).
 */
function annotate(task: RunnerTestCase, context: TestContext, message: string): void {
  const result = task.result
  if (result === undefined || typeof context.annotate !== 'function') return
  const was = result.state
  result.state = 'run'
  try {
    const sent = Promise.resolve(context.annotate(message, 'warning')).catch(() => {
      // An annotation is a convenience; the causes are in the meta and the report either way.
    })
    annotations.add(sent)
    void sent.finally(() => annotations.delete(sent))
  } catch {
    // As above: Vitest refused it synchronously.
  } finally {
    result.state = was
  }
}

/** Waits until the main process has every annotation sent so far (before the file's end is reported). */
export async function settleAnnotations(): Promise<void> {
  if (annotations.size > 0) await Promise.all(annotations)
}

/**
 * The file's suite ended: what its hooks and module evaluation left changed becomes `global-mutation` findings (in an
 * isolated file), and the changes it left that no failure followed are summarised once each in the file's meta.
 */
export function fileRunEnds(file: RunnerTestFile, isolated: boolean): void {
  const journal = state.journal
  if (journal === undefined) return
  // Tests awaiting Vitest's restore stay so across the file's end: the next test's start decides (after the last test of
  // a worker nothing does, and nothing runs after it that their stubs could reach).
  journal.checkpoint(NOBODY, true, true)
  const ours = journal.select((d) => d.by.place.file === file.name)
  if (isolated) {
    for (const dirty of ours) if (dirty.by.kind !== 'test' && isGlobal(dirty)) report(mutation(dirty), undefined)
  }
  // A finished test file's own bindings can reach no later test (nothing imports a test file): stop following them.
  journal.removeModule(file.name)
  const changes: StateChange[] = ours.filter((d) => !d.blamed).map(describe)
  // Shown only with `journal: 'verbose'` and in the JSON report: elsewhere a test's line would be read from its source
  // for nobody (the failures' causes and the findings always name it).
  const shown = state.options?.journal === 'verbose' || (state.options?.report ?? false) !== false
  if (!shown) for (const change of changes) change.by = withoutLine(change.by)
  if (changes.length > 0) isolationMeta(file).changes = changes
  if (journal.truncated.size > 0) {
    isolationMeta(file).truncated = [...journal.truncated]
    journal.truncated.clear()
  }
}

/** A copy of `place` without the test's line and column (not read: they may be looked up on first read). */
function withoutLine(place: Place): Place {
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(place)) if (key !== 'line' && key !== 'column') copy[key] = place[key as keyof Place]
  return copy as unknown as Place
}

/** State a `global-mutation` finding is about: a global or an environment variable the suite's own code set. */
function isGlobal(dirty: Dirty): boolean {
  return dirty.root === 'global' || dirty.root === 'env'
}

function mutation(dirty: Dirty): Finding {
  const change = describe(dirty)
  const finding: Finding = { kind: 'global-mutation', object: dirty.state, origin: change.by, observedIn: [], hint: mutationHint(dirty.state, change.change, dirty.root === 'env', change.by) }
  if (change.tests > 1) finding.tests = change.tests
  return finding
}

const reported = new Set<string>()

/** One finding per state and actor, however many tests it spanned. */
function report(finding: Finding, owner: TestSlot['owner'] | undefined): void {
  const key = `${finding.object}\u0000${JSON.stringify(finding.origin)}`
  if (reported.has(key)) return
  reported.add(key)
  if (owner !== undefined) routeFinding(finding, owner)
  else state.late.push(finding)
}

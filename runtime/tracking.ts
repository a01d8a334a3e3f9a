/**
 * The ledger wired into the runtime: one `Ledger` per worker on the shared state, the scope that is current for it (the
 * running test's slot, else the module scope of the file being collected or run), and the hand-over of what the runtime
 * knows — resource instances, marked-binding values and module roots.
 */
import type { RunnerTestCase } from 'vitest'
import { declaredAt, type Declared } from './declarations.ts'
import { Ledger, type Owner } from './ledger/index.ts'
import type { SourcePlace } from './location.ts'
import { routeFinding } from './outcomes.ts'
import { state } from './state.ts'

/** Creates this worker's ledger once the options are known; none with `leaks: 'off'`. */
export function startLedger(): Ledger | undefined {
  if (state.ledger !== undefined) return state.ledger
  const options = state.options
  if (options === undefined || options.leaks === 'off') return undefined
  const ledger = new Ledger({
    current: currentOwner,
    onFinding: routeFinding,
    retention: options.retention !== 'off',
    // Included files register with the runtime (their generated code opens them); a helper module never does.
    markable: (file) => state.files.has(file),
  })
  // The runtime's own bookkeeping is never a path that retains a test's object.
  ledger.ignore(state)
  state.ledger = ledger
  return ledger
}

/**
 * The ledger's owner for a test attempt. Its `line` and `column` (where the test is declared) are looked up when first
 * read — by a finding or a cause, rarely — not for every test (see `declarations.ts`).
 */
export function testOwner(task: RunnerTestCase, isolated: boolean): Owner {
  const owner: Owner = { kind: 'test', file: task.file.name, test: task.fullTestName ?? task.name, id: task.id, isolated }
  let declared: Declared | undefined | null = null
  const at = (): Declared | undefined => (declared === null ? (declared = declaredAt(task)) : declared)
  Object.defineProperties(owner, {
    line: { get: () => at()?.line, enumerable: true, configurable: true },
    column: { get: () => at()?.column, enumerable: true, configurable: true },
  })
  return owner
}

/** The ledger's owner for the module scope of `file` (one object per file). */
export function moduleOwner(file: string): Owner {
  let owner = state.moduleOwners.get(file)
  if (owner === undefined) {
    owner = { kind: 'module', file, test: null, id: `module:${file}`, isolated: false }
    state.moduleOwners.set(file, owner)
  }
  return owner
}

/**
 * The owner running now: the current test (also under `describe.concurrent`), else the module scope of the file being
 * collected (module evaluation, `describe` bodies) or run (`beforeAll`/`afterAll`); `undefined` for a finished test's
 * leftover timer and between files.
 */
export function currentOwner(): Owner | undefined {
  const slot = state.als.getStore()
  if (slot !== undefined) return slot.released ? undefined : slot.owner
  const phase = state.phase
  return phase === undefined ? undefined : moduleOwner(phase.file)
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function'
}

/** Hands an instance an instrumented factory made to the ledger, which observes it in place (it stays the same object). */
export function trackInstance(resource: string, instance: unknown, place: SourcePlace | undefined, operation: string): void {
  const ledger = state.ledger
  if (ledger === undefined || !isObject(instance)) return
  const slot = state.als.getStore()
  const owner = slot !== undefined && !slot.released ? slot.owner : null
  const file = place?.file ?? owner?.file ?? state.phase?.file
  if (file === undefined) return
  // The place is read when a finding needs it: a `ctx` resource's is its test's, found on first need.
  ledger.track(instance, {
    owner,
    file,
    resource,
    get line() {
      return place?.line
    },
    get column() {
      return place?.column
    },
    operation,
  })
}

/** Declares a marked binding's value owned by the test `scope` that initialized it. */
export function ownValue(value: unknown, scope: Owner, resource: string, place: SourcePlace): void {
  if (state.ledger === undefined || !isObject(value)) return
  state.ledger.own(value, scope, { file: place.file, resource, line: place.line, column: place.column })
}

/** One module root as the generated code lists it: `[name, line, getter]`. */
export type RootEntry = readonly [name: string, line: number, get: () => unknown]

/** Registers the unmarked top-level bindings of `file` as roots of the retention path search. */
export function addRoots(file: string, roots: readonly RootEntry[]): void {
  const ledger = state.ledger
  if (ledger === undefined) return
  for (const [name, line, get] of roots) ledger.addRoot({ file, name, line, get })
}

/** Forgets the roots of `file` (its module is evaluated again, e.g. on a re-run). */
export function removeRoots(file: string): void {
  state.ledger?.removeRoots(file)
}

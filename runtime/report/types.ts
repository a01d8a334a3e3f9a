/** The four kinds of finding (SPEC §6). */
export type FindingKind = 'shared-instance' | 'foreign-object' | 'retained' | 'global-mutation'

/** Every finding kind, in the order reports list them. */
export const FINDING_KINDS: readonly FindingKind[] = ['shared-instance', 'foreign-object', 'retained', 'global-mutation']

/** A place in the suite: a file, the test (or `null` for module scope), and where in the original source. */
export interface Place {
  /** Relative to Vitest's root, `/` separators. */
  file: string
  /** Vitest full name `suite > test`; `null` for module scope. */
  test: string | null
  line?: number
  column?: number
  /** The operation through which the object was seen, e.g. `client.create`. */
  operation?: string
  /** A hook, not a test, made the change or created the object (`test` is then `null`). */
  hook?: HookKind
  /** The full name of the hook's suite (`outer > inner`); absent for a hook at the file's top level. */
  suite?: string
}

/** The hooks a state change can be attributed to. */
export type HookKind = 'beforeAll' | 'afterAll' | 'beforeEach' | 'afterEach'

/**
 * A piece of state that a test, a hook or a module's evaluation changed and left changed (the state journal). Grouped:
 * the same change made by the same hook before each of many tests is one `StateChange` with `tests` counting them.
 */
export interface StateChange {
  /** What changed: `globalThis.__app_config.locale`, `process.env.TZ`, or a path from a module binding: `counter`, `cache`. */
  state: string
  /** For state held by a module's top-level binding: where the binding is declared (`src/ids.ts:3`). */
  module?: string
  change: 'added' | 'changed' | 'deleted'
  /** Short renderings of the value before and after (`'en'`, `3`, `Map(2)`); absent for `added`/`deleted`. */
  before?: string
  after?: string
  /** The test, hook (`test: null`, `hook` set) or module evaluation (`test: null`, no `hook`) that made it. */
  by: Place
  /**
   * Something in `by.file` made it (a test, a hook or its top level), not told apart: the state is in a large module
   * that the journal follows only at a file's end while it stays unchanged (`hunt` tells which test).
   */
  inFile?: boolean
  /** How many tests' runs the change was made in (a `beforeEach` runs once per test); 1 for a test. */
  tests: number
}

/** One object of one test seen where it does not belong. */
export interface Finding {
  kind: FindingKind
  /** `shared-instance` and `foreign-object`: whether the origin and the observing test ran at the same time. */
  concurrent?: boolean
  /** The resource name, or `binding:<name>` for a marked binding. */
  resource?: string
  /** A label for the object: `Scheme#2`, `Machine default/ms-7fq2x`, `globalThis.__flag`, `process.env.MY_FLAG`. */
  object: string
  /** Where the object was created or first stamped. */
  origin: Place
  /** The other tests that saw it. */
  observedIn: Place[]
  /** `global-mutation`: how many tests' runs the change was made in (a `beforeEach` before each test of its suite). */
  tests?: number
  /** `retained` only: the path from a root that keeps the object alive, when one was found. */
  retainedBy?: string | null
  /** What to do about it. */
  hint: string
}

/** The JSON report (`report` option), schemaVersion 1. */
export interface IsolationReport {
  schemaVersion: 1
  tool: 'vitest-isolation'
  version: string
  vitest: string
  summary: {
    files: number
    tests: number
    isolatedTests: number
    findings: number
    byKind: Record<FindingKind, number>
  }
  findings: Finding[]
  /** Failed tests that ran after state was left changed, with the likely causes. */
  failures?: { test: Place; causes: StateChange[] }[]
  /** Changes left in place that no failing test followed (the state journal's summary). */
  changes?: StateChange[]
}

/** What the runtime writes to `task.meta.isolation` (serialisable, so blob reports and `--merge-reports` keep it). */
export interface IsolationMeta {
  /** The test was isolated (marked, in a marked suite or file, or `mode: 'all'`). */
  isolated?: boolean
  /** Findings observed in this test (or, on a module's meta, found at the end of the file). */
  findings?: Finding[]
  /**
   * A failed test: the state that earlier tests, hooks or module evaluations in the same worker had left changed when it
   * started — its likely causes, most likely first.
   */
  causes?: StateChange[]
  /** A failed test with causes: the line it is declared on. */
  line?: number
  /** On a file's meta: changes left in place that no failing test followed, each once per state and origin. */
  changes?: StateChange[]
  /** On a file's meta: state too large for the journal to follow whole (a one-time notice each). */
  truncated?: string[]
}

/**
 * The ledger's vocabulary: scopes (who owns and who observes objects), what callers say about an object when they hand it
 * over, and the options a ledger is built with. Findings and places are the report model's (`../report/types.ts`).
 */
import type { Finding } from '../report/types.ts'

/**
 * The ledger's owner: a test, or a file's module scope (its top level and collection time) — who owns tracked objects and
 * who observes them. (Not to be confused with a lexical scope, which the transform analyses, or with the runtime's
 * `IncludedFile`, the per-file handle of generated code.)
 *
 * @example
 * const owner: Owner = { kind: 'test', file: 'tests/a.test.ts', test: 'a > b', id: task.id, isolated: true, line: 12 }
 */
export interface Owner {
  kind: 'test' | 'module'
  /** Relative to the root, `/` separators. */
  file: string
  /** Vitest full name `suite > test`; `null` for module scope. */
  test: string | null
  /** Unique per test (Vitest's task id; retries and repeats share it) or per file for module scope. */
  id: string
  /** A marked test: `global-mutation` is checked for isolated tests only. */
  isolated: boolean
  /** Where the test is declared, for findings that have no better place. */
  line?: number
  column?: number
}

/**
 * What the caller knows about an instance it asks the ledger to track (a resource instance).
 *
 * @example
 * ledger.track(newScheme(), { owner: scope, file: 'tests/a.test.ts', resource: 'scheme', line: 3, column: 16 })
 */
export interface TrackInfo {
  /** The owning scope; `null` for the module scope of `file`. */
  owner: Owner | null
  /** Where the instance was created, relative to the root. */
  file: string
  /** The resource name, or `binding:<name>` for a marked binding. */
  resource?: string
  /** Overrides the label the ledger gives (`Scheme#2`, `Machine default/ms-7fq2x`). */
  label?: string
  line?: number
  column?: number
  /** How the instance was made (e.g. `newScheme()`): the operation of a finding when a factory hands one instance to two tests. */
  operation?: string
}

/**
 * What the caller knows about an object it declares owned without observing its calls (a marked binding's value).
 *
 * @example
 * ledger.own(value, scope, { file: 'tests/a.test.ts', resource: 'binding:seen', line: 3, column: 1 })
 */
export interface OwnInfo {
  file: string
  resource?: string
  label?: string
  line?: number
  column?: number
}

/** A line and column in a test file (1-based), as a call site is reported. */
export interface CallSite {
  line: number
  column: number
}

/**
 * A module root for the retention path search: a top-level binding of an included file, read through `get`.
 *
 * @example
 * ledger.addRoot({ file: 'tests/a.test.ts', name: 'seen', line: 3, get: () => seen })
 */
export interface ModuleRoot {
  file: string
  name: string
  line: number
  /** Reads the binding. It must have no side effects; it may throw (e.g. in the temporal dead zone). */
  get: () => unknown
}

/** How a ledger is built. Every option is optional; the defaults suit a Vitest worker. */
export interface LedgerOptions {
  /**
   * The scope running now (the slot's AsyncLocalStorage store); `undefined` outside any test, e.g. in `beforeAll`.
   * @default () => undefined
   */
  current?: () => Owner | undefined
  /** Called once for every new finding, with the scope it is attributed to (the observing test; the owner for `retained`). */
  onFinding?: (finding: Finding, observer: Owner) => void
  /**
   * Keep weak references to finished tests' objects so `checkRetention()` can find those still alive.
   * @default true
   */
  retention?: boolean
  /**
   * Also report objects still alive after a forced GC when no path from a root explains it. Off by default: Vitest's own
   * bookkeeping (every `vi.fn()` sits in a module-private registry) keeps test objects alive in ways no path from a root
   * shows, and a finding must never be a false positive.
   * @default false
   */
  retainedWithoutPath?: boolean
  /**
   * Where in `file` the current call comes from; the default reads `new Error().stack` (which Vitest source-maps).
   * @default stackCallSite
   */
  callSite?: (file: string) => CallSite | undefined
  /**
   * Whether `@isolate` markers work in `file` (an included test file): a hint suggests marking a module-scope instance's
   * declaration only there, never in a helper module.
   * @default () => true
   */
  markable?: (file: string) => boolean
  /**
   * Most objects the retention path search visits before it gives up on a path.
   * @default 200_000
   */
  pathBudget?: number
}

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
}

/** What the runtime writes to `task.meta.isolation` (serialisable, so blob reports and `--merge-reports` keep it). */
export interface IsolationMeta {
  /** The test was isolated (marked, in a marked suite or file, or `mode: 'all'`). */
  isolated?: boolean
  /** Findings observed in this test (or, on a module's meta, found at the end of the file). */
  findings?: Finding[]
}

// The messages between the hunt's main thread and its tinypool workers. Everything here crosses a thread boundary, so it is
// plain serialisable data; paths are absolute unless a field says otherwise.
import type { ReplayPlan } from './replay.ts'

/** Which Vitest a worker drives: the same for every task of one hunt. */
export interface VitestTarget {
  /** `--root`, or null to let Vitest decide (the config's root or the current directory). */
  root: string | null
  /** `--config`, or null to let Vitest find one in the root. */
  config: string | null
  /** `--seed`: files in the order `--sequence.shuffle` gives them, tests shuffled inside files. */
  seed: number | null
  /** Add vitest-isolation's plugin (its state journal names suspects) to a config without it (`migrate`'s hunts). */
  plugin?: boolean
}

/** Lists the candidate files of the victim's project. */
export interface ListTask {
  kind: 'list'
  target: VitestTarget
  victimFile: string
}

export type ListResult =
  | { ok: true; root: string; project: string; files: string[] }
  | { ok: false; root: string; reason: 'not-a-test-file'; include: string[] }

/** One file of a run, in run order; `testIds` null runs every test, `[]` only the module scope. */
export interface RunFile {
  file: string
  testIds: string[] | null
  /** Source of a RegExp on Vitest's space-joined task name (used before test ids are known). */
  testNamePattern?: string
}

/** How a run recognises the victim: by test id, by full name, or the whole file when both are null. */
export interface VictimRef {
  file: string
  testId: string | null
  fullName: string | null
}

/** Runs files in the given order in one Vitest worker with `isolate: false`, then tells how the victim did. */
export interface RunTask {
  kind: 'run'
  target: VitestTarget
  project: string
  files: RunFile[]
  victim: VictimRef
  /** Return every test of every file (the verification run), not only the victim's outcome. */
  collect: boolean
}

/** A test as the hunt needs it: id for filtering, full name for people, names for `-t` patterns. */
export interface TestInfo {
  id: string
  /** Vitest's full name, `suite > test`. */
  fullName: string
  /** The suite names then the test name. */
  names: string[]
}

/** The hooks the runtime can name as the place of a change (its `HookKind`; cli/ imports nothing from runtime/). */
export type HookKind = 'beforeAll' | 'afterAll' | 'beforeEach' | 'afterEach'

/**
 * A place vitest-isolation's runtime names in the victim's `task.meta.isolation`: the `by` of a state-journal cause or the
 * `origin` of a finding. `test: null` is a hook of `suite` (absent: the file's top level) when `hook` is set, else the
 * module evaluation of `file`.
 */
export interface Suspect {
  /** Relative to the root, `/` separators (as the runtime reports it). */
  file: string
  test: string | null
  hook?: HookKind
  /** The hook's suite, full name `outer > inner`. */
  suite?: string
  /** A cause from the state journal (most likely first), or the origin of a finding. */
  source: 'cause' | 'finding'
}

export interface RunOutcome {
  /** The victim did not pass: it failed, its file failed, or it never finished. */
  victimFailed: boolean
  /** False when `VictimRef.fullName` named no test of the file. */
  victimFound: boolean
  victimTestId: string | null
  /** The first error of the victim, for people. */
  victimError: string | null
  /** Every test of every file of the run (only when `collect`). */
  tests: Record<string, TestInfo[]>
  /** What the runtime's meta names on the victim's failure: journal causes first, then findings' origins. */
  suspects: Suspect[]
}

/** Finds a shuffle seed that makes plain Vitest run the plan's files in order, and (when `verify`) runs the command. */
export interface ReplayTask {
  kind: 'replay'
  plan: ReplayPlan
  victim: VictimRef
  verify: boolean
}

export interface ReplayOutcome {
  /** null when one file is enough (no seed needed) or no seed was found. */
  seed: number | null
  seedFound: boolean
  /** Whether the command was run (it is not when not asked, or when its files or order could not be pinned). */
  ran: boolean
  /** Whether that run saw the victim fail. */
  reproduced: boolean
}

export type WorkerTask = ListTask | RunTask | ReplayTask

// One migrate from start to end: the suite as configured (the baseline), then shared — `isolate: false` with the plugin, in
// file order and in a shuffled order — then what broke and why (the journal's causes, confirmed by hunt), the markers
// that fix what markers can fix (written and verified with `--write`), and what is left to fix by hand.
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'

import type { StateChange } from '../../runtime/report/types.ts'
import { hunt } from '../hunt/hunt.ts'
import type { Polluter } from '../hunt/places.ts'
import { DEFAULT_TIMEOUT_S, type MigrateArgs } from './args.ts'
import { causeBinding, dependentMarkers, describeBy, findingBinding, handFix, markerAt, Sources, writeMarkers } from './fixes.ts'
import type { MarkerChange } from './fixes.ts'
import { runSuite } from './suite.ts'
import type { SuiteRun, SuiteTarget, TestOutcome } from './suite.ts'

/** The seed of the shuffled shared run (`--sequence.shuffle`, files and tests): fixed, so that two migrates agree. */
export const SHUFFLE_SEED = 1

/** One cause of a test that breaks when shared. */
export interface Cause {
  test: { file: string; test: string } | null
  hook: string | null
  /** Who, for people: `test "a > b" (tests/a.test.ts)`, `beforeEach of "suite" (tests/a.test.ts)`. */
  who: string
  state: string
  /** Where the module binding that holds the state is declared (`src/settings.ts:2`), for state of a module. */
  module?: string
  /** Seen by the journal (`journal`), by hunt (`hunt`), or both. */
  source: 'journal' | 'hunt' | 'both'
  fix: string
}

export interface Remaining {
  test: { file: string; test: string }
  /** The test's key in the runs' outcomes. */
  key: string
  error: string | null
  causes: Cause[]
}

/** The tests that broke for one first cause (or for none the journal named). */
export interface CauseGroup {
  cause: Cause | null
  tests: Remaining[]
}

export interface Counts {
  passed: number
  failed: number
  seconds: number
}

export interface MigrateResult {
  baseline: Counts
  shared: Counts
  speedup: number
  /** Tests that already fail as configured (not breakages). */
  alreadyFailing: string[]
  /** Tests that pass as configured and fail shared, before any change was written. */
  breaks: number
  changes: MarkerChange[]
  remaining: Remaining[]
  /** `remaining` by first cause, most tests first. */
  groups: CauseGroup[]
  /** Shared runs after `--write` passed where they had failed. */
  verified: boolean | null
  pluginAdded: boolean
  runs: number
  seconds: number
  /** Hunts cut short or skipped by the time budget. */
  budgetHit: boolean
  /** Every test passed in the last shared runs (after the markers, when written), and no file failed. */
  passes: boolean
}

/** Runs a migrate; progress lines go to `progress` as the runs go on. */
export async function migrate(args: MigrateArgs, progress: (line: string) => void): Promise<MigrateResult> {
  const started = performance.now()
  const elapsed = (): number => (performance.now() - started) / 1000
  const target: SuiteTarget = { root: args.root, config: args.config, project: args.project }
  let runs = 0

  progress('1/4 baseline: the suite as configured …')
  const baseline = await runSuite(target, { shared: false, seed: null })
  runs++
  progress(`1/4 baseline: ${summary(baseline)}`)
  const root = baseline.root
  const sources = new Sources(root)
  for (const file of baseline.files) sources.remember(relative(root, file))

  const sharedRuns = async (step: string): Promise<SuiteRun[]> => {
    progress(`${step} shared: isolate: false with vitest-isolation, in file order …`)
    const ordered = await runSuite(target, { shared: true, seed: null })
    progress(`${step} shared, file order: ${summary(ordered)}`)
    progress(`${step} shared: shuffled (seed ${SHUFFLE_SEED}) …`)
    const shuffled = await runSuite(target, { shared: true, seed: SHUFFLE_SEED })
    progress(`${step} shared, shuffled: ${summary(shuffled)}`)
    runs += 2
    return [ordered, shuffled]
  }
  let shared = await sharedRuns('2/4')
  const testFiles = new Set(baseline.files.map((file) => relative(root, file)))
  const alreadyFailing = [...baseline.tests].filter(([, outcome]) => outcome.state === 'failed').map(([key]) => key)
  const failedAsConfigured = new Set(alreadyFailing)
  const breaking = failing(shared).filter(([key]) => !failedAsConfigured.has(key))

  // Markers: for the bindings of test files that findings and the breaking tests' causes name.
  const changes = new Map<string, MarkerChange>()
  const propose = (at: { file: string; line: number; reason: string } | null): void => {
    if (at === null || changes.has(`${at.file}:${at.line}`)) return
    const change = markerAt(sources, at.file, at.line, at.reason)
    if (change) changes.set(`${at.file}:${at.line}`, change)
  }
  for (const run of shared) {
    for (const outcome of run.tests.values()) for (const finding of outcome.findings) propose(findingBinding(finding, testFiles))
    for (const finding of run.lateFindings) propose(findingBinding(finding, testFiles))
  }
  // A failure's first cause only: the others are less likely, and a memo a test file's schema fills is no reason to mark it.
  for (const [, outcome] of breaking) if (outcome.causes.length > 0) propose(causeBinding(outcome.causes[0], testFiles))
  for (const file of new Set([...changes.values()].map((change) => change.file))) {
    const ofFile = [...changes.values()].filter((change) => change.file === file)
    for (const change of dependentMarkers(sources, file, ofFile)) changes.set(`${change.file}:${change.line}`, change)
  }

  let verified: boolean | null = null
  if (args.write && changes.size > 0) {
    progress(`3/4 writing ${changes.size} marker${changes.size === 1 ? '' : 's'} …`)
    const byFile = new Map<string, MarkerChange[]>()
    for (const change of changes.values()) byFile.set(change.file, [...(byFile.get(change.file) ?? []), change])
    for (const [file, list] of byFile) {
      if (!writeMarkers(sources, root, file, list)) progress(`${file} changed on disk during the migrate: not written`)
    }
    if ([...changes.values()].some((change) => change.status === 'written')) {
      const before = failing(shared).length
      shared = await sharedRuns('3/4 verify:')
      verified = failing(shared).length < before
    }
  }

  // What still fails shared (after the markers, when written), and what markers would fix (when only proposed).
  const fixedBy = (outcome: TestOutcome): boolean =>
    !args.write &&
    [...outcome.causes.slice(0, 1).map((cause) => causeBinding(cause, testFiles)), ...outcome.findings.map((finding) => findingBinding(finding, testFiles))].some(
      (at) => at !== null && changes.has(`${at.file}:${at.line}`),
    )
  const left = failing(shared).filter(([key, outcome]) => !failedAsConfigured.has(key) && !fixedBy(outcome))
  const remaining: Remaining[] = left.map(([key, outcome]) => ({
    test: { file: outcome.file, test: outcome.test },
    key,
    error: outcome.error,
    causes: outcome.causes.map(journalCause),
  }))

  // One hunt per first cause (tests that broke for one reason need one confirmation), largest groups first, within the
  // budget; what it confirms holds for the whole group.
  const byCause = new Map<string, CauseGroup>()
  for (const entry of remaining) {
    const first = entry.causes[0]
    const key = first ? `${first.state}\u0000${first.who}` : `\u0000${entry.test.file}\u0000${entry.test.test}`
    let group = byCause.get(key)
    if (group === undefined) byCause.set(key, (group = { cause: first ?? null, tests: [] }))
    group.tests.push(entry)
  }
  const groups = [...byCause.values()].sort((a, b) => b.tests.length - a.tests.length)
  const budget = args.timeout ?? DEFAULT_TIMEOUT_S
  let budgetHit = false
  for (const [i, group] of groups.entries()) {
    const budgetLeft = budget - elapsed()
    if (budgetLeft < 5) {
      budgetHit = true
      break
    }
    const entry = group.tests[0]
    const run = shared.find((r) => r.tests.get(entry.key)?.state === 'failed')
    progress(`4/4 hunt ${i + 1}/${groups.length} (${group.tests.length} test${group.tests.length === 1 ? '' : 's'}): ${entry.test.file} > ${entry.test.test} …`)
    const result = await hunt(
      {
        help: false,
        json: false,
        victimFile: path.join(root, entry.test.file),
        victimTest: entry.test.test,
        config: args.config,
        root: args.root,
        workers: Math.max(1, os.availableParallelism()),
        seed: run?.mode.seed ?? null,
        timeout: Math.max(1, Math.floor(budgetLeft)),
        plugin: run?.pluginAdded === true,
      },
      root,
      (line) => progress(`  hunt: ${line}`),
    )
    runs += result.runs
    if (result.cutShort) budgetHit = true
    const places = result.polluters.flat().map((named) => named.place)
    for (const other of group.tests) confirm(other, places)
  }

  const [ordered] = shared
  const sharedCounts = counts(ordered)
  const baselineCounts = counts(baseline)
  return {
    baseline: baselineCounts,
    shared: sharedCounts,
    speedup: Math.round((baselineCounts.seconds / sharedCounts.seconds) * 100) / 100,
    alreadyFailing,
    breaks: breaking.length,
    changes: [...changes.values()],
    remaining,
    groups,
    verified,
    pluginAdded: ordered.pluginAdded,
    runs,
    seconds: Math.round(elapsed() * 10) / 10,
    budgetHit,
    passes: failing(shared).length === 0 && shared.every((run) => run.fileErrors.length === 0),
  }
}

/** Tests that failed in any of the shared runs, each once (with the outcome of the first run it failed in). */
function failing(runs: readonly SuiteRun[]): [string, TestOutcome][] {
  const found = new Map<string, TestOutcome>()
  for (const run of runs) for (const [key, outcome] of run.tests) if (outcome.state === 'failed' && !found.has(key)) found.set(key, outcome)
  return [...found]
}

function journalCause(cause: StateChange): Cause {
  const who = cause.inFile === true ? `a test, a hook or the top level of ${cause.by.file}` : describeBy(cause.by)
  return { ...placeOf(cause.by), who, state: cause.state, ...(cause.module ? { module: cause.module } : {}), source: 'journal', fix: handFix(cause) }
}

function placeOf(by: { file: string; test: string | null; hook?: string; suite?: string }): Pick<Cause, 'test' | 'hook'> {
  if (by.test !== null) return { test: { file: by.file, test: by.test }, hook: null }
  return { test: null, hook: by.hook ? `${by.hook}${by.suite ? ` of "${by.suite}"` : ''} (${by.file})` : null }
}

/** Marks the journal's causes that hunt confirmed; adds what hunt found that the journal did not name. */
function confirm(entry: Remaining, polluters: Polluter[]): void {
  for (const polluter of polluters) {
    const same = entry.causes.filter((cause) =>
      polluter.test !== null ? cause.test?.file === polluter.file && cause.test.test === polluter.test : cause.test === null && cause.hook?.endsWith(`(${polluter.file})`) === true,
    )
    for (const cause of same) cause.source = 'both'
    if (same.length > 0) continue
    const by = { file: polluter.file, test: polluter.test, ...(polluter.hook ? { hook: polluter.hook } : {}), ...(polluter.suite ? { suite: polluter.suite } : {}) }
    const who = polluter.test === null && polluter.hook === undefined ? `the top level of ${polluter.file} (or every test of it)` : describeBy(by)
    entry.causes.push({ ...placeOf(by), who, state: '', source: 'hunt', fix: `find what ${who} leaves changed and undo it after it` })
  }
}

function counts(run: SuiteRun): Counts {
  let passed = 0
  let failed = run.fileErrors.length
  for (const outcome of run.tests.values()) {
    if (outcome.state === 'passed') passed++
    else if (outcome.state === 'failed') failed++
  }
  return { passed, failed, seconds: Math.round(run.seconds * 100) / 100 }
}

function summary(run: SuiteRun): string {
  const { passed, failed, seconds } = counts(run)
  return `${passed} passed, ${failed} failed, ${seconds.toFixed(1)} s`
}

function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/')
}

// One whole run of the user's suite through Vitest's Node API, as `migrate` needs it: every test's outcome, what
// vitest-isolation's runtime wrote into the metas (the journal's causes, the findings), and the wall time.
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import type { CliOptions, TestModule, Vitest } from 'vitest/node'

import type { Finding, IsolationMeta, StateChange } from '../../runtime/report/types.ts'
import { RunCollector, firstError, hasIsolationPlugin, openVitest } from '../hunt/session.ts'

/** Which suite: the user's options, as given to `migrate`. */
export interface SuiteTarget {
  root: string | null
  config: string | null
  project: string | null
}

/** How one run goes. */
export interface RunMode {
  /** `isolate: false` with vitest-isolation's plugin (added when the config has none); else the suite as configured. */
  shared: boolean
  /** Files and tests shuffled as `--sequence.shuffle --sequence.seed=<seed>` (as `hunt --seed` replays them). */
  seed: number | null
}

export interface TestOutcome {
  /** Relative to the root, `/` separators. */
  file: string
  /** Vitest's full name, `suite > test`. */
  test: string
  state: 'passed' | 'failed' | 'skipped' | 'pending'
  error: string | null
  causes: StateChange[]
  findings: Finding[]
}

export interface SuiteRun {
  mode: RunMode
  root: string
  seconds: number
  /** By `file::test` (prefixed with `[project] ` when the config has named projects). */
  tests: Map<string, TestOutcome>
  /** Files that failed outside any test (an import error, a failing `beforeAll`). */
  fileErrors: { file: string; error: string }[]
  /** Findings made after their tests ended, carried by the files' metas. */
  lateFindings: Finding[]
  /** Test files of the run, absolute. */
  files: string[]
  /** vitest-isolation's plugin was added to the config for this run. */
  pluginAdded: boolean
}

/** Runs the whole suite once and returns what happened; Vitest prints nothing. */
export async function runSuite(target: SuiteTarget, mode: RunMode): Promise<SuiteRun> {
  const collector = new RunCollector()
  const options: CliOptions = {
    ...(target.root ? { root: target.root } : {}),
    ...(target.config ? { config: target.config } : {}),
    ...(target.project ? { project: [target.project] } : {}),
    ...(mode.shared ? { isolate: false } : {}),
    ...(mode.seed === null ? {} : { sequence: { shuffle: true, seed: mode.seed } }),
  }
  // Timed from the opening of the instance that runs, as `vitest run` would be.
  let started = performance.now()
  let vitest: Vitest = await openVitest(options, collector)
  let pluginAdded = false
  if (mode.shared && !hasIsolationPlugin(vitest)) {
    await vitest.close()
    started = performance.now()
    vitest = await openVitest(options, collector, true)
    pluginAdded = true
  }
  const exitCode = process.exitCode
  try {
    await vitest.start()
  } finally {
    await vitest.close()
    // Vitest sets the exit code of the process on a failure: the outcome of a migrate is decided by migrate.
    process.exitCode = exitCode
  }
  const seconds = (performance.now() - started) / 1000
  const root = vitest.config.root
  return { mode, root, seconds, pluginAdded, ...collect([...collector.modules.values()], root) }
}

function collect(modules: TestModule[], root: string): Pick<SuiteRun, 'tests' | 'fileErrors' | 'lateFindings' | 'files'> {
  const tests = new Map<string, TestOutcome>()
  const fileErrors: SuiteRun['fileErrors'] = []
  const lateFindings: Finding[] = []
  const named = new Set(modules.map((module) => module.project.name)).size > 1
  for (const module of modules) {
    const file = relative(root, module.moduleId)
    const prefix = named && module.project.name ? `[${module.project.name}] ` : ''
    if (module.errors().length > 0) fileErrors.push({ file: `${prefix}${file}`, error: firstError(module) ?? 'failed' })
    lateFindings.push(...(isolationOf(module.meta()).findings ?? []))
    for (const test of module.children.allTests()) {
      const meta = isolationOf(test.meta())
      tests.set(`${prefix}${file}::${test.fullName}`, {
        file,
        test: test.fullName,
        state: test.result().state,
        error: firstError(test),
        causes: meta.causes ?? [],
        findings: meta.findings ?? [],
      })
    }
  }
  return { tests, fileErrors, lateFindings, files: modules.map((module) => module.moduleId) }
}

function isolationOf(meta: object): IsolationMeta {
  const isolation = (meta as { isolation?: unknown }).isolation
  return typeof isolation === 'object' && isolation !== null ? (isolation as IsolationMeta) : {}
}

function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/')
}

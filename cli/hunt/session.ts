// The Vitest side of a hunt worker: how one Vitest instance is opened, how its file order is pinned, and how the results
// of one run are told apart from those of earlier runs on the same instance.
import { Writable } from 'node:stream'
import { createVitest } from 'vitest/node'
import type { CliOptions, Reporter, TestCase, TestModule, TestSequencer, TestSpecification, Vitest } from 'vitest/node'

import type { TestInfo } from './protocol.ts'

let rank = new Map<string, number>()

/** Sets the order in which the next run's files must run (the candidates, then the victim). */
export function setFileOrder(files: readonly string[]): void {
  rank = new Map(files.map((file, i) => [file, i]))
}

/**
 * A sequencer that returns files in the order of {@link setFileOrder}. Vitest's BaseSequencer sorts by cached results and
 * file size, which would put the victim anywhere; this is how the hunt runs the candidates *before* the victim.
 */
export class OrderedSequencer implements TestSequencer {
  constructor(_vitest: Vitest) {}

  async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
    return files
  }

  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const position = (spec: TestSpecification): number => rank.get(spec.moduleId) ?? Number.MAX_SAFE_INTEGER
    return [...files].sort((a, b) => position(a) - position(b))
  }
}

/**
 * A reporter that keeps the modules finished in the current run. `vitest.state` keeps every module of every earlier run
 * on the same instance, so a module that did not run this time would otherwise show its old result.
 */
export class RunCollector implements Reporter {
  modules = new Map<string, TestModule>()

  onTestRunStart(): void {
    this.modules = new Map()
  }

  onTestModuleEnd(module: TestModule): void {
    this.modules.set(module.moduleId, module)
  }
}

/**
 * Opens a Vitest instance that reports only to `collector` and prints nothing. With `plugin`, vitest-isolation's plugin
 * (`mode: 'all'`, nothing declared: the state journal) is added to the config, which does not have it.
 */
export async function openVitest(options: CliOptions, collector: Reporter, plugin = false): Promise<Vitest> {
  // Vitest's own output would interleave with the hunt's progress and break `--json` on stdout.
  const quiet = (): Writable => new Writable({ write: (_chunk, _encoding, done) => done() })
  // Loaded only when asked for: most hunts drive a config that has the plugin (or needs none).
  const plugins = plugin ? [(await import('../../plugin/index.ts')).isolation({ mode: 'all' })] : []
  return createVitest(
    'test',
    {
      watch: false,
      // The hunt's runs must not rewrite the user's results cache (it orders their next plain run).
      cache: false,
      coverage: { enabled: false },
      bail: 0,
      passWithNoTests: true,
      ...options,
      reporters: [collector],
    },
    // Vite logs a config that fails to load before Vitest rethrows it; the hunt reports the error itself, in one line.
    { logLevel: 'silent', plugins },
    { stdout: quiet(), stderr: quiet() },
  )
}

/** Every test of a module, with the names `-t` patterns are built from. */
export function testsOf(module: TestModule): TestInfo[] {
  return [...module.children.allTests()].map((test) => ({ id: test.id, fullName: test.fullName, names: namesOf(test) }))
}

function namesOf(test: TestCase): string[] {
  const names = [test.name]
  for (let parent = test.parent; parent.type === 'suite'; parent = parent.parent) names.unshift(parent.name)
  return names
}

/** Whether a test or a module did not pass: failed, or never finished (a crash, a timeout of the whole file). */
export function didNotPass(entity: TestCase | TestModule): boolean {
  const state = entity.type === 'test' ? entity.result().state : entity.state()
  return state !== 'passed' && state !== 'skipped'
}

/** The first error message of a test or module, for people. */
export function firstError(entity: TestCase | TestModule): string | null {
  const errors = entity.type === 'test' ? (entity.result().errors ?? []) : entity.errors()
  const message = errors[0]?.message
  return typeof message === 'string' ? message.split('\n')[0] : null
}

/** Whether every project of `vitest` already loads vitest-isolation's plugin. */
export function hasIsolationPlugin(vitest: Vitest): boolean {
  return vitest.projects.every((project) => project.vite.config.plugins.some((plugin) => plugin.name === 'vitest-isolation'))
}

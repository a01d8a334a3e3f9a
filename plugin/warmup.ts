/**
 * Transform warm-up. A Vitest worker imports each test file only when it reaches it, and waits while the main process
 * transforms it; with `isolate: false` that is one idle gap per file, during which the main process is the only one
 * working. The plugin's transform (a TypeScript parse and a source map) makes those gaps longer. Warm-up fills the
 * other direction: as soon as the run starts, the main process transforms the queued test files one after another, in
 * the order Vitest will run them, so each file is usually ready by the time a worker asks for it.
 *
 * Vite's own `server.warmup` does the same for files named in the config; this warms exactly the files of the run.
 */
import type { TestSpecification, Vitest } from 'vitest/node'

/** The Vite environment a project's workers import test files from (Vitest's defaults per test environment). */
function environmentName(environment: string): 'ssr' | 'client' | undefined {
  if (environment === 'node' || environment === 'edge-runtime') return 'ssr'
  if (environment === 'jsdom' || environment === 'happy-dom') return 'client'
  return undefined
}

interface Transformer {
  transformRequest(url: string): Promise<unknown>
}

/** Warms the test files of one run; `stop()` ends it early (the run ended, or the next one started). */
export class TransformWarmup {
  #run = 0

  /**
   * Starts warming `specifications` of the `projects` (all when absent) one file at a time, in the order `order` puts
   * them in (Vitest's own order when it fails).
   */
  start(
    specifications: ReadonlyArray<TestSpecification>,
    projects?: ReadonlySet<string>,
    order: (specifications: TestSpecification[]) => Promise<TestSpecification[]> = async (specs) => specs,
  ): void {
    const run = ++this.#run
    void (async () => {
      const ordered = await order([...specifications]).catch(() => [...specifications])
      for (const { environment, file } of queue(ordered, projects)) {
        if (run !== this.#run) return
        // A failed transform is not cached: the worker's own import transforms the file again and reports the error.
        await environment.transformRequest(file).catch(() => undefined)
      }
    })()
  }

  stop(): void {
    this.#run++
  }
}

/** The files to warm, with the Vite environment each is imported from. */
function queue(specifications: readonly TestSpecification[], projects: ReadonlySet<string> | undefined): Array<{ environment: Transformer; file: string }> {
  const files: Array<{ environment: Transformer; file: string }> = []
  for (const specification of specifications) {
    const { project } = specification
    if (projects !== undefined && !projects.has(project.name)) continue
    if (specification.pool === 'typescript' || project.config.browser?.enabled) continue
    const config = project.config as { fsModuleCache?: boolean; experimental?: { fsModuleCache?: boolean; viteModuleRunner?: boolean } }
    // Vitest imports without Vite's module runner, or reads transforms from its own file cache (Vitest 5's default,
    // `experimental.fsModuleCache` on 4.1), which warm-up would bypass: transforming again what it would read.
    if (config.experimental?.viteModuleRunner === false || (config.fsModuleCache ?? config.experimental?.fsModuleCache)) continue
    const name = environmentName(project.config.environment)
    const environment = name === undefined ? undefined : (project.vite.environments[name] as Transformer | undefined)
    if (environment !== undefined) files.push({ environment, file: specification.moduleId })
  }
  return files
}

/**
 * The specifications in the order Vitest's pool runs them: it hands the reporter the run's files before its sequencer
 * shards (`--shard`) and sorts them (failed and slow files first, from its results cache), so warm-up does the same.
 */
export async function runOrder(vitest: Vitest, specifications: TestSpecification[]): Promise<TestSpecification[]> {
  const sequencer = new vitest.config.sequence.sequencer(vitest)
  const own = vitest.config.shard ? await sequencer.shard(specifications) : specifications
  return sequencer.sort(own)
}

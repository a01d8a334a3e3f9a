/**
 * Transform warm-up. A Vitest worker imports each test file only when it reaches it, and waits while the main process
 * transforms it; with `isolate: false` that is one idle gap per file, during which the main process is the only one
 * working. The plugin's transform (a TypeScript parse and a source map) makes those gaps longer. Warm-up fills the
 * other direction: as soon as the run starts, the main process transforms the queued test files one after another, in
 * the order Vitest will run them, so each file is usually ready by the time a worker asks for it.
 *
 * Vite's own `server.warmup` does the same for files named in the config; this warms exactly the files of the run.
 */
import type { TestSpecification } from 'vitest/node'

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

  /** Starts warming `specifications` of the `projects` (all when absent) in order, one file at a time. */
  start(specifications: ReadonlyArray<TestSpecification>, projects?: ReadonlySet<string>): void {
    const run = ++this.#run
    const queue: Array<{ environment: Transformer; file: string }> = []
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
      if (environment !== undefined) queue.push({ environment, file: specification.moduleId })
    }
    void (async () => {
      for (const { environment, file } of queue) {
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

// The hunt's pool of workers: each drives its own Vitest instance, so candidate sets run side by side. Also the one place
// that counts Vitest runs, since every run goes through it.
import { Tinypool } from 'tinypool'

import type {
  ListResult,
  ReplayOutcome,
  ReplayTask,
  RunFile,
  RunOutcome,
  VictimRef,
  VitestTarget,
  WorkerTask,
} from './protocol.ts'

/** The hunt was stopped (its time budget ran out): every task not finished yet ends with this. */
export class HuntStopped extends Error {
  override readonly name = 'HuntStopped'
  constructor() {
    super('the hunt was stopped')
  }
}

/** A tinypool of hunt workers bound to one Vitest target and project. */
export class HuntPool {
  /** Vitest runs made so far (test runs and replay verifications; listing and seed searches run no tests). */
  runs = 0
  project = ''
  stopped = false
  private readonly pool: Tinypool
  private readonly pending = new Set<(error: Error) => void>()

  constructor(
    workers: number,
    private readonly target: VitestTarget,
  ) {
    this.pool = new Tinypool({
      // The built worker sits next to this file (dist/cli/hunt/worker.js); tinypool loads it as plain JS.
      filename: new URL('./worker.js', import.meta.url).href,
      minThreads: workers,
      maxThreads: workers,
      // A worker's Vitest instance is its cache of transformed files: never let tinypool recycle it while idle.
      idleTimeout: 24 * 60 * 60 * 1000,
      teardown: 'teardown',
    })
  }

  /** Lists the candidate files of the victim's project, in hunt order. */
  async list(victimFile: string): Promise<ListResult> {
    const result = (await this.task({ kind: 'list', target: this.target, victimFile }).catch((error: unknown) => {
      if (error instanceof HuntStopped) throw error
      throw new Error(`Vitest could not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
    })) as ListResult
    if (result.ok) this.project = result.project
    return result
  }

  /** Runs the files in order in one Vitest worker and reports how the victim did. */
  async run(files: RunFile[], victim: VictimRef, collect = false): Promise<RunOutcome> {
    if (this.stopped) throw new HuntStopped()
    this.runs++
    return (await this.task({ kind: 'run', target: this.target, project: this.project, files, victim, collect })) as RunOutcome
  }

  /** Finds the seed of a replay command and, when asked, runs it with plain Vitest. */
  async replay(task: Omit<ReplayTask, 'kind'>): Promise<ReplayOutcome> {
    const outcome = (await this.task({ kind: 'replay', ...task })) as ReplayOutcome
    if (outcome.ran) this.runs++
    return outcome
  }

  /** Ends every unfinished task at once with {@link HuntStopped}, and refuses new ones; `close` then stops the workers. */
  stop(): void {
    this.stopped = true
    for (const reject of this.pending) reject(new HuntStopped())
    this.pending.clear()
  }

  /** Stops the workers (each closes its Vitest instance first, which ends a run still going). */
  async close(): Promise<void> {
    await this.pool.destroy()
  }

  private task(task: WorkerTask): Promise<unknown> {
    if (this.stopped) return Promise.reject(new HuntStopped())
    return new Promise((resolve, reject) => {
      this.pending.add(reject)
      this.pool
        .run(task)
        .then(resolve, reject)
        .finally(() => this.pending.delete(reject))
    })
  }
}

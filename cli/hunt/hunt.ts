// One hunt from start to end: verify that the failure reproduces, try the runtime's suspects, bisect what they do not
// explain, and build the replays — within the time budget, reporting each polluter as soon as it is confirmed.
import path from 'node:path'
import { performance } from 'node:perf_hooks'

import type { HuntArgs } from './args.ts'
import { Catalog } from './catalog.ts'
import { labelSet, nameUnit } from './places.ts'
import type { Named } from './places.ts'
import { HuntPool, HuntStopped } from './pool.ts'
import type { PlanContext } from './plan.ts'
import type { TestInfo, VictimRef, VitestTarget } from './protocol.ts'
import { buildReplays } from './replays.ts'
import type { Replay } from './replays.ts'
import { findPolluters } from './search.ts'
import { suspectUnits } from './suspects.ts'
import { membersOf, runFilesFor, setsInRunOrder, unitKey } from './units.ts'
import type { Unit } from './units.ts'
import { verify } from './verify.ts'

export type { Polluter } from './places.ts'
export type { Replay } from './replays.ts'

/** Everything a report needs. */
export interface HuntResult {
  victim: { file: string; test: string | null }
  reproduced: boolean
  /** Why nothing (or nothing trustworthy) was found, in one line; null when polluters were found. */
  reason: string | null
  victimError: string | null
  /** Minimal polluting sets: one polluter, or two (or more) that pollute only together. */
  polluters: Named[][]
  replays: Replay[]
  /** The time budget ran out: the polluters are those confirmed until then. */
  cutShort: boolean
  /** The victim failed and then passed after the same tests: the search stopped. */
  flaky: boolean
  runs: number
  workers: number
  ms: number
  timeout: number | null
}

/** A result before the pool's totals are added. */
type Outcome = Omit<HuntResult, 'runs' | 'workers' | 'ms' | 'timeout'>

interface Context {
  pool: HuntPool
  args: HuntArgs
  cwd: string
  progress: (line: string) => void
  /** `(run 7, 12 s)`: where the hunt is, for progress lines. */
  at: () => string
  /** A pool for the replays once the hunt's own pool is stopped. */
  spare: () => HuntPool
}

/** Runs a hunt; throws a UsageError when the victim turns out not to be a test of the project. */
export async function hunt(args: HuntArgs, cwd: string, progress: (line: string) => void): Promise<HuntResult> {
  const started = performance.now()
  const target: VitestTarget = { root: args.root, config: args.config, seed: args.seed, plugin: args.plugin === true }
  const pool = new HuntPool(args.workers, target)
  let spare: HuntPool | undefined
  const runs = (): number => pool.runs + (spare?.runs ?? 0)
  const at = (): string => `run ${runs()}, ${Math.round((performance.now() - started) / 1000)} s`
  const timer =
    args.timeout === null
      ? undefined
      : setTimeout(() => {
          progress(`the time budget of ${args.timeout} s ran out (${at()}): stopping`)
          pool.stop()
        }, args.timeout * 1000)
  try {
    const outcome = await huntWith({ pool, args, cwd, progress, at, spare: () => (spare ??= new HuntPool(1, target)) })
    const ms = Math.round(performance.now() - started)
    return { ...outcome, runs: runs(), workers: args.workers, ms, timeout: args.timeout }
  } finally {
    clearTimeout(timer)
    // A stopped pool may still be ending a run: the result is printed meanwhile, the process exits once it is closed.
    const closing = Promise.all([pool.close(), spare?.close()])
    if (pool.stopped) closing.catch(() => {})
    else await closing
  }
}

async function huntWith(context: Context): Promise<Outcome> {
  const { pool, args, progress } = context
  const empty = (reason: string, victimError: string | null, victimFile: string): Outcome => ({
    victim: { file: victimFile, test: args.victimTest },
    reproduced: false,
    reason,
    victimError,
    polluters: [],
    replays: [],
    cutShort: false,
    flaky: false,
  })
  const verified = await verify(pool, args, progress).catch((error: unknown) => {
    if (!(error instanceof HuntStopped)) throw error
    const file = path.relative(args.root ?? context.cwd, args.victimFile).split(path.sep).join('/')
    return { ...empty('the time budget ran out before the failure was reproduced', null, file), cutShort: true }
  })
  if ('cutShort' in verified) return verified
  if (verified.failure) return empty(verified.failure.reason, verified.failure.error, verified.victimFile)

  const { root, files, all } = verified
  const testsByFile = new Map(Object.entries(all.tests))
  const ranks = new Map([...files, args.victimFile].map((file, rank) => [file, rank]))
  const catalog = new Catalog(testsByFile, ranks, { file: args.victimFile, testId: all.victimTestId })
  const candidates: Unit[] = [
    ...files.map((file, rank): Unit => ({ kind: 'file', file, rank })),
    ...catalog.testsOf(args.victimFile),
  ]
  const hints = suspectUnits(all.suspects, catalog, root)
  if (hints.length > 0) progress(`trying first ${hints.length} suspect(s) named by vitest-isolation, each alone before the victim`)

  const victim = { file: args.victimFile, rank: files.length, testId: all.victimTestId }
  const victimRef: VictimRef = { file: args.victimFile, testId: all.victimTestId, fullName: null }
  const found: Unit[][] = []
  const name = (set: readonly Unit[]): Named[] => set.map((unit) => nameUnit(unit, root))
  let flaky: Unit[] | null = null
  let cutShort = false
  try {
    const search = await findPolluters(
      candidates,
      {
        workers: args.workers,
        key: unitKey,
        split: (unit) => catalog.split(unit),
        members: membersOf,
        groups: (unit) => catalog.groups(unit),
        runSet: async (set) => (await pool.run(runFilesFor(set, victim), victimRef)).victimFailed,
        onRound: ({ round, candidates: left, sets }) =>
          progress(`round ${round}: ${left} candidates left, ${sets} ${sets === 1 ? 'set' : 'sets'} running (${context.at()})`),
        onFound: (set) => {
          found.push(set)
          const what = set.length === 1 ? 'polluter found' : `${set.length} polluters found that pollute only together`
          progress(`${what}: ${labelSet(name(set))} (${context.at()})`)
        },
      },
      { knownToFail: true, hints },
    )
    flaky = search.flaky
  } catch (error) {
    if (!(error instanceof HuntStopped)) throw error
    cutShort = true
  }

  // Confirmed as their runs ended; reported in run order, so that the same suite gives the same report.
  const sets = setsInRunOrder(found)
  const outcome: Outcome = {
    ...empty('', all.victimError, verified.victimFile),
    reproduced: true,
    reason: null,
    polluters: sets.map(name),
    cutShort,
    flaky: flaky !== null,
  }
  if (flaky) {
    const what = flaky.length <= 3 ? labelSet(name(flaky)) : `the same ${flaky.length} candidates`
    outcome.reason = `${verified.label} failed and then passed after ${what}: the victim is flaky, so the search stopped`
  } else if (found.length === 0) {
    outcome.reason = cutShort
      ? 'the time budget ran out before a polluter was confirmed'
      : `${verified.label} failed after all the candidates but never after a part of them: is it flaky?`
  }
  // A budget that runs out while the replays are checked leaves them unchecked; the search itself was complete.
  if (sets.length > 0) outcome.replays = await replays(context, sets, { testsByFile, victimRef, cutShort })
  return outcome
}

/** The replays: verified with the hunt's pool, or (once the budget ran out) only written, with a spare pool. */
async function replays(
  context: Context,
  sets: Unit[][],
  run: { testsByFile: Map<string, TestInfo[]>; victimRef: VictimRef; cutShort: boolean },
): Promise<Replay[]> {
  const { args, cwd, progress } = context
  const plan: PlanContext = {
    cwd,
    config: args.config,
    root: args.root,
    victimFile: args.victimFile,
    victimTestId: run.victimRef.testId,
    testsByFile: run.testsByFile,
  }
  if (!run.cutShort && !context.pool.stopped) {
    try {
      return await buildReplays(context.pool, sets, plan, run.victimRef, { verify: true, progress })
    } catch (error) {
      if (!(error instanceof HuntStopped)) throw error
    }
  }
  return buildReplays(context.spare(), sets, plan, run.victimRef, { verify: false, progress })
}

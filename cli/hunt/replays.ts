// The replay commands of a hunt's polluting sets: each pinned to the hunt's file order by a shuffle seed, the first one run
// once with plain Vitest to check that it reproduces (unless the hunt was cut short).
import { HuntStopped } from './pool.ts'
import type { HuntPool } from './pool.ts'
import { formatCommand, replayArgs } from './replay.ts'
import { replayPlan } from './plan.ts'
import type { PlanContext } from './plan.ts'
import type { ReplayOutcome, VictimRef } from './protocol.ts'
import type { Unit } from './units.ts'

/** A replay command; `verified` is true when the hunt ran it and saw the victim fail, null when it was not run. */
export interface Replay {
  command: string
  verified: boolean | null
}

/** Replays beyond the first are printed but not run, to keep the run count down; more than this are not printed. */
export const MAX_REPLAYS = 5

/** Builds the replays of the first {@link MAX_REPLAYS} sets; `verify` runs the first one. */
export async function buildReplays(
  pool: HuntPool,
  sets: readonly Unit[][],
  context: PlanContext,
  victim: VictimRef,
  options: { verify: boolean; progress: (line: string) => void },
): Promise<Replay[]> {
  const replays: Replay[] = []
  for (const [i, set] of sets.slice(0, MAX_REPLAYS).entries()) {
    const plan = replayPlan(set, context)
    const verify = options.verify && i === 0
    const outcome = await pool.replay({ plan, victim, verify }).catch((error: unknown): ReplayOutcome => {
      if (error instanceof HuntStopped) throw error
      // The polluters stand without a replay: say why the command could not be checked, and keep the result.
      options.progress(`the replay command could not be checked: ${error instanceof Error ? error.message.split('\n')[0] : error}`)
      return { seed: null, seedFound: false, ran: false, reproduced: false }
    })
    replays.push({
      command: formatCommand(replayArgs(plan, outcome.seed)),
      verified: outcome.ran ? outcome.reproduced : verify ? false : null,
    })
  }
  return replays
}

// What `hunt` prints at the end: a human report, or the one JSON object of SPEC §7 (with a few added fields).
import type { HuntResult } from './hunt.ts'
import type { Polluter } from './places.ts'

/** The `--json` output: SPEC §7's fields, then the ones added since (tools that know only the first keep working). */
export interface HuntJson {
  victim: { file: string; test: string | null }
  reproduced: boolean
  /** Every polluter once; a group is `test: null` with `suite` and `hook` when known (see places.ts). */
  polluters: Polluter[]
  runs: number
  /** The command that replays the first polluting set. */
  replay: string | null
  /** Why nothing (or nothing trustworthy) was found; null when polluters were found. */
  reason: string | null
  /** `--timeout` ran out: `polluters` are those confirmed until then. */
  cutShort: boolean
  /** The victim failed and then passed after the same tests, and the search stopped. */
  flaky: boolean
  seconds: number
}

/** The JSON object printed by `--json` (polluting sets flattened, as the spec's shape has no sets). */
export function toJson(result: HuntResult): HuntJson {
  return {
    victim: result.victim,
    reproduced: result.reproduced,
    polluters: result.polluters.flat().map((named) => named.place),
    runs: result.runs,
    replay: result.replays[0]?.command ?? null,
    reason: result.reason,
    cutShort: result.cutShort,
    flaky: result.flaky,
    seconds: Math.round(result.ms / 100) / 10,
  }
}

/** The human report of a hunt that found polluters (printed on stdout). */
export function formatFound(result: HuntResult): string {
  const lines: string[] = []
  const { file, test } = result.victim
  lines.push(`Victim: ${test === null ? `${file} (the whole file)` : `${file} > ${test}`}`)
  if (result.victimError) lines.push(`  fails with: ${result.victimError}`)
  lines.push('')
  result.polluters.forEach((set, i) => {
    if (set.length === 1) lines.push(`Polluter: ${set[0].label}`)
    else {
      lines.push(`Polluters that break the victim only together (${set.length}):`)
      for (const polluter of set) lines.push(`  ${polluter.label}`)
    }
    const replay = result.replays[i]
    if (replay) {
      const state =
        replay.verified === null ? 'not run' : replay.verified ? 'checked: the victim fails' : 'did NOT reproduce when checked'
      lines.push(`  replay (${state}):`, `    ${replay.command}`)
    }
    lines.push('')
  })
  const count = result.polluters.length
  lines.push(
    `${count} polluting ${count === 1 ? 'set' : 'sets'} found in ${result.runs} Vitest runs, ` +
      `${(result.ms / 1000).toFixed(1)} s, ${result.workers} worker${result.workers === 1 ? '' : 's'}.`,
  )
  if (result.cutShort) {
    lines.push(`The hunt was cut short by --timeout ${result.timeout}: there may be more polluters.`)
  }
  return lines.join('\n')
}

/** The one line that says why nothing (trustworthy) was found (printed on stderr). */
export function formatNotFound(result: HuntResult): string {
  const error = result.victimError && !result.flaky ? ` (${result.victimError})` : ''
  const what = result.flaky ? 'flaky' : result.cutShort ? 'cut short' : 'not reproducible'
  return `[vitest-isolation] hunt: ${what}: ${result.reason}${error}. ${result.runs} Vitest runs.`
}

// What `hunt` prints: a human report, or the one JSON object of SPEC §7.
import type { HuntResult, Polluter } from './hunt.ts'

/** The `--json` output: exactly the fields SPEC §7 defines. */
export interface HuntJson {
  victim: { file: string; test: string | null }
  reproduced: boolean
  polluters: Polluter[]
  runs: number
  replay: string | null
}

/** The JSON object printed by `--json` (polluting sets flattened, as the spec's shape has no sets). */
export function toJson(result: HuntResult): HuntJson {
  return {
    victim: result.victim,
    reproduced: result.reproduced,
    polluters: result.polluters.flat(),
    runs: result.runs,
    replay: result.replays[0]?.command ?? null,
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
    if (set.length === 1) lines.push(`Polluter: ${name(set[0])}`)
    else {
      lines.push(`Polluters that break the victim only together (${set.length}):`)
      for (const polluter of set) lines.push(`  ${name(polluter)}`)
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
  return lines.join('\n')
}

/** The one line that says why nothing was found (printed on stderr). */
export function formatNotReproduced(result: HuntResult): string {
  const error = result.victimError ? ` (${result.victimError})` : ''
  return `[vitest-isolation] hunt: not reproducible: ${result.reason}${error}. ${result.runs} Vitest runs.`
}

function name(place: Polluter): string {
  return place.test === null ? `${place.file} (module scope)` : `${place.file} > ${place.test}`
}

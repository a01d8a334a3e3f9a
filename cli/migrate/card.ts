// The report card of a migrate (short enough to read in a minute) and its `--json` object (SPEC §7).
import { shellQuote } from '../hunt/replay.ts'
import type { MigrateResult, Remaining } from './migrate.ts'

/** The `--json` object: SPEC §7's fields, then what the card says besides. */
export function toJson(result: MigrateResult): object {
  return {
    baseline: result.baseline,
    shared: result.shared,
    speedup: result.speedup,
    changes: result.changes.map(({ file, line, marker, reason, status }) => ({ file, line, marker, reason, status })),
    remaining: result.remaining.map(({ test, causes }) => ({ test, causes: causes.map(({ who: _who, ...cause }) => cause) })),
    alreadyFailing: result.alreadyFailing,
    verified: result.verified,
    runs: result.runs,
    seconds: result.seconds,
  }
}

/** Causes listed on the card; `--json` has every test. */
const GROUPS_SHOWN = 8

function label(entry: Remaining): string {
  return `${entry.test.file} > ${entry.test.test}`
}

/** The report card; `config` as given to `migrate` (relative to the current directory). */
export function formatCard(result: MigrateResult, { write, config }: { write: boolean; config: string | null }): string {
  const { baseline, shared } = result
  const lines = [
    'vitest-isolation migrate — report card',
    '',
    `  as configured:     ${baseline.passed} passed, ${baseline.failed} failed in ${baseline.seconds.toFixed(1)} s`,
    `  isolate: false:    ${shared.passed} passed, ${shared.failed} failed in ${shared.seconds.toFixed(1)} s${result.pluginAdded ? ' (with vitest-isolation added)' : ''}${result.verified !== null ? ' (with the markers)' : ''}`,
    `  speed-up:          ${result.speedup.toFixed(2)}×`,
  ]
  if (result.alreadyFailing.length > 0) {
    lines.push('', `Already failing as configured (${result.alreadyFailing.length}; not counted as breakages):`)
    for (const key of result.alreadyFailing.slice(0, 10)) lines.push(`  - ${key.replace('::', ' > ')}`)
    if (result.alreadyFailing.length > 10) lines.push(`  … and ${result.alreadyFailing.length - 10} more`)
  }
  lines.push('', result.breaks === 0 ? 'Nothing breaks when shared.' : `Breaks when shared: ${result.breaks} test${result.breaks === 1 ? '' : 's'}.`)
  if (result.changes.length > 0) {
    const verb = { proposed: 'add', written: 'added', skipped: 'not written (changed on disk during the run)' }
    lines.push('', write ? 'Markers:' : 'Markers that fix it (run again with --write to insert them):')
    for (const change of result.changes) {
      lines.push(`  ${change.file}:${change.line}  ${verb[change.status]} ${change.marker} — ${change.reason}`)
    }
    if (result.verified !== null) {
      lines.push(result.passes ? '  verified: both shared runs pass with them' : result.verified ? '  the shared runs fail less with them, but still fail' : '  not verified: the shared runs fail as much with them')
    }
  }
  if (result.remaining.length > 0) {
    const n = result.groups.length
    const tests = result.remaining.length === 1 ? '1 test breaks' : `${result.remaining.length} tests break`
    lines.push('', `To fix by hand: ${tests} for ${n === 1 ? 'one cause' : `${n} causes`} (--json lists every test):`)
    for (const [i, group] of result.groups.slice(0, GROUPS_SHOWN).entries()) {
      const [first, second] = group.tests
      const examples = `${label(first)}${second ? `, ${label(second)}` : ''}${group.tests.length > 2 ? ', …' : ''}`
      const breaks = `breaks ${group.tests.length} test${group.tests.length === 1 ? '' : 's'}: ${examples}`
      const cause = group.cause
      if (cause === null) {
        const found = first.causes.filter((c) => c.source === 'hunt')
        lines.push(`  ${i + 1}. no cause named by the journal — ${breaks}`)
        for (const c of found) lines.push(`     hunt found ${c.who}`)
        if (found.length === 0) lines.push(`     run: npx vitest-isolation hunt ${shellQuote(`${first.test.file}::${first.test.test}`)}${config ? ` --config ${shellQuote(config)}` : ''}`)
        continue
      }
      const held = cause.module ? ` (${cause.module})` : ''
      const confirmed = cause.source === 'both' ? ', confirmed by hunt' : ''
      lines.push(`  ${i + 1}. ${cause.who} left \`${cause.state}\`${held} changed — ${breaks}${confirmed}`, `     fix: ${cause.fix}`)
      for (const c of first.causes.filter((c) => c.source === 'hunt')) lines.push(`     hunt also found ${c.who}`)
    }
    if (n > GROUPS_SHOWN) lines.push(`  … and ${n - GROUPS_SHOWN} more causes`)
    if (result.budgetHit) lines.push('  (the time budget ran out before every cause was hunted: --timeout gives more)')
  }
  lines.push('')
  if (result.passes) {
    lines.push('Use: test: { isolate: false } in your Vitest config, with plugins: [isolation()] to keep the diagnosis.')
  } else if (result.remaining.length === 0 && result.alreadyFailing.length === 0 && !write) {
    lines.push('The markers above are all it takes: --write inserts them and runs the shared runs again.')
  }
  lines.push(`(${result.runs} Vitest runs, ${result.seconds.toFixed(0)} s)`)
  return lines.join('\n')
}

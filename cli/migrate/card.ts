// The report card of a migrate (short enough to read in a minute) and its `--json` object (SPEC §7).
import type { MigrateResult } from './migrate.ts'

/** The `--json` object: SPEC §7's fields, then what the card says besides. */
export function toJson(result: MigrateResult): object {
  return {
    baseline: result.baseline,
    shared: result.shared,
    speedup: result.speedup,
    changes: result.changes.map(({ file, line, marker, reason, status }) => ({ file, line, marker, reason, status })),
    remaining: result.remaining.map(({ test, causes }) => ({ test, causes })),
    alreadyFailing: result.alreadyFailing,
    verified: result.verified,
    runs: result.runs,
    seconds: result.seconds,
  }
}

/** The report card. */
export function formatCard(result: MigrateResult, write: boolean): string {
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
    lines.push('', `To fix by hand (${result.remaining.length}):`)
    for (const entry of result.remaining.slice(0, 20)) {
      lines.push(`  ✗ ${entry.test.file} > ${entry.test.test}${entry.error ? `: ${entry.error}` : ''}`)
      if (entry.causes.length === 0) lines.push('      no cause named (concurrent tests, or state the journal does not follow): run `vitest-isolation hunt` on it')
      for (const cause of entry.causes.slice(0, 3)) {
        const who = cause.test ? `test "${cause.test.test}" (${cause.test.file})` : (cause.hook ?? 'a module evaluation')
        const how = cause.source === 'both' ? ', confirmed by hunt' : cause.source === 'hunt' ? ', found by hunt' : ''
        const held = cause.module ? ` (${cause.module})` : ''
        lines.push(`      ${who} left \`${cause.state}\`${held} changed${how}`, `        fix: ${cause.fix}`)
      }
    }
    if (result.remaining.length > 20) lines.push(`  … and ${result.remaining.length - 20} more (--json lists every one)`)
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

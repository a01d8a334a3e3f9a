import { FINDING_KINDS, type Finding, type IsolationReport, type Place, type StateChange } from './types.ts'

/** `file:line:column` of a place, as far as it is known. */
export function formatLocation(place: Place): string {
  let location = place.file
  if (place.line != null) location += `:${place.line}`
  if (place.line != null && place.column != null) location += `:${place.column}`
  return location
}

/** A place for people: the test name (or the hook, or module scope), where, and through which operation. */
export function formatPlace(place: Place): string {
  const who = place.test != null ? `"${place.test}"` : place.hook ? hookName(place) : 'module scope'
  const via = place.operation ? ` via ${place.operation}` : ''
  return `${who} (${formatLocation(place)})${via}`
}

/** The first line of a finding: kind, object, resource. */
export function findingTitle(finding: Finding): string {
  const concurrent = finding.concurrent ? ' (concurrent)' : ''
  const resource = finding.resource ? ` [${finding.resource}]` : ''
  return `${finding.kind}${concurrent}: ${finding.object}${resource}`
}

/** One finding as the text block the console reporter prints and `leaks: 'error'` fails a test with. */
export function formatFinding(finding: Finding): string {
  const row = (label: string, text: string): string => `  ${label.padEnd(13)}${text}`
  const lines = [findingTitle(finding), row('origin:', formatPlace(finding.origin))]
  finding.observedIn.forEach((place, i) => lines.push(row(i === 0 ? 'seen in:' : '', formatPlace(place))))
  if (finding.tests !== undefined && finding.tests > 1) lines.push(row('spanned:', `${finding.tests} tests`))
  if (finding.kind === 'retained') {
    lines.push(row('retained by:', finding.retainedBy ?? 'no path from a module binding or globalThis was found'))
  }
  lines.push(row('hint:', finding.hint))
  return lines.join('\n')
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

/**
 * The journal's block: each failed test that ran after state was left changed, with its likely causes; with
 * `verbose`, also every change that no failure followed. Empty when there is nothing to say.
 */
export function formatJournal(report: IsolationReport, verbose: boolean): string {
  const blocks: string[] = []
  const failures = report.failures ?? []
  if (failures.length > 0) {
    const lines = [`[vitest-isolation] ${plural(failures.length, 'failed test')} ran after state that earlier tests left changed:`]
    for (const { test, causes } of failures) {
      lines.push(`\n  ${test.test ?? '(module)'} (${formatLocation(test)})`)
      for (const cause of causes) lines.push(`    - ${formatBy(cause, true)} ${formatChange(cause)}`)
    }
    lines.push(`\n  Confirm one with: npx vitest-isolation hunt '<file>::<test name>'`)
    blocks.push(lines.join('\n'))
  }
  const changes = report.changes ?? []
  if (verbose && changes.length > 0) {
    const lines = [`[vitest-isolation] ${plural(changes.length, 'change')} left in place that no failure followed:`]
    for (const change of changes) lines.push(`  - ${formatBy(change, false)} ${formatChange(change)}`)
    blocks.push(lines.join('\n'))
  } else if (failures.length > 0 && changes.length > 0) {
    blocks.push(`[vitest-isolation] ${plural(changes.length, 'other change')} left in place; journal: 'verbose' lists them, the JSON report has them.`)
  }
  return blocks.join('\n\n')
}

/** The whole console block printed after the run (empty findings: one line saying so). */
export function formatReport(report: IsolationReport): string {
  const { summary } = report
  // `isolatedTests` counts tests isolated as a whole (marked test, suite or file, or mode 'all'). Tests that only read
  // marked bindings or resources get per-test values too, so "0 isolated" would misstate a binding-marker fix: say
  // nothing about it then.
  const isolated = summary.isolatedTests > 0 ? `, ${plural(summary.isolatedTests, 'isolated test')}` : ''
  const scope = `${plural(summary.tests, 'test')} in ${plural(summary.files, 'file')}${isolated}`
  if (summary.findings === 0) return `[vitest-isolation] no findings (${scope})`
  const kinds = FINDING_KINDS.filter((kind) => summary.byKind[kind] > 0).map((kind) => `${summary.byKind[kind]} ${kind}`)
  const noun = summary.findings === 1 ? 'finding' : 'findings'
  const header = `[vitest-isolation] ${summary.findings} ${noun}: ${kinds.join(', ')} (${scope})`
  return [header, ...report.findings.map((finding, i) => `\n${i + 1}. ${formatFinding(finding)}`)].join('\n')
}

/** `beforeEach of "suite"`, or `beforeEach of the file` for a hook at its top level. */
function hookName(place: Place): string {
  return `${place.hook} of ${place.suite ? `"${place.suite}"` : 'the file'}`
}

/** Who made a change, for people: `earlier test "x" (a.test.ts:4)`, `beforeEach of "suite" (b.test.ts)`. */
export function formatActor(place: Place): string {
  if (place.test != null) return `test "${place.test}" (${formatLocation(place)})`
  if (place.hook) return `${hookName(place)} (${place.file})`
  return `the module evaluation of ${place.file}`
}

/** Who made a change, for people; `earlier` for a cause (made before the failed test). */
function formatBy(change: StateChange, earlier: boolean): string {
  if (change.inFile === true) return `a test, a hook or the top level of ${change.by.file}`
  return `${earlier && change.by.test != null ? 'earlier ' : ''}${formatActor(change.by)}`
}

/** One change, for people: ``changed `globalThis.__cfg.locale` ("en" → "es")``. */
export function formatChange(change: StateChange): string {
  const values =
    change.change === 'changed' ? ` (${change.before} → ${change.after})` : change.change === 'added' ? ` (now ${change.after})` : ` (was ${change.before})`
  const spanned = change.tests > 1 ? `, in ${change.tests} tests` : ''
  const where = change.module !== undefined ? ` (module binding, ${change.module})` : ''
  return `${change.change} \`${change.state}\`${where}${values}${spanned}`
}

/**
 * The likely causes of one failure: the text of its annotation and of the console block. `configFile` (relative to the
 * root) goes into the hunt command unless it is the `vitest.config.*` Vitest finds by itself.
 */
export function formatCauses(causes: readonly StateChange[], file: string, test: string, configFile: string | null = null): string {
  const lines = ['[vitest-isolation] this test ran after state that earlier tests left changed; likely causes:']
  for (const cause of causes) {
    lines.push(`  - ${formatBy(cause, true)} ${formatChange(cause)} and did not restore it`)
  }
  const config = configFile !== null && !/^vitest\.config\.[cm]?[jt]s$/.test(configFile) ? ` --config ${shellQuote(configFile)}` : ''
  lines.push(`  confirm with: npx vitest-isolation hunt ${shellQuote(`${file}::${test}`)}${config}`)
  return lines.join('\n')
}

function shellQuote(text: string): string {
  return /^[\w./:@-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`
}

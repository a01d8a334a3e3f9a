import { FINDING_KINDS, type Finding, type FindingKind, type IsolationReport, type Place, type StateChange } from './types.ts'

/** Counts of the run a report describes. */
export interface RunCounts {
  files: number
  tests: number
  isolatedTests: number
}

function placeKey(place: Place): string {
  return `${place.file}\u0001${place.test ?? ''}`
}

/**
 * Joins findings that describe the same object and origin into one, with every observing test listed once,
 * and drops exact repeats. Input order is kept for the first occurrence of each object.
 */
export function dedupeFindings(findings: Iterable<Finding>): Finding[] {
  const byObject = new Map<string, Finding>()
  for (const finding of findings) {
    const key = [finding.kind, finding.object, placeKey(finding.origin), finding.retainedBy ?? ''].join('\u0000')
    const seen = byObject.get(key)
    if (!seen) {
      byObject.set(key, { ...finding, observedIn: [...finding.observedIn] })
      continue
    }
    for (const place of finding.observedIn) {
      if (!seen.observedIn.some((p) => placeKey(p) === placeKey(place))) seen.observedIn.push(place)
    }
    if (finding.concurrent) seen.concurrent = true
  }
  return [...byObject.values()]
}

/** What the state journal adds to a report: failures with their likely causes, and the changes no failure followed. */
export interface JournalPart {
  failures?: IsolationReport['failures']
  changes?: StateChange[]
}

/** One entry per state, module and actor (the same change summarised by several files or shards is one). */
export function dedupeChanges(changes: Iterable<StateChange>): StateChange[] {
  const byKey = new Map<string, StateChange>()
  for (const change of changes) {
    const key = [change.state, change.module ?? '', placeKey(change.by), change.by.hook ?? '', change.by.suite ?? ''].join('\u0000')
    const seen = byKey.get(key)
    if (seen === undefined) byKey.set(key, change)
    else seen.tests = Math.max(seen.tests, change.tests)
  }
  return [...byKey.values()]
}

/** Builds a schemaVersion 1 report from the findings of a run (and what the journal found). */
export function buildReport(
  findings: Iterable<Finding>,
  counts: RunCounts,
  versions: { version: string; vitest: string },
  journal: JournalPart = {},
): IsolationReport {
  const list = dedupeFindings(findings)
  const byKind = Object.fromEntries(FINDING_KINDS.map((kind) => [kind, 0])) as Record<FindingKind, number>
  for (const finding of list) byKind[finding.kind]++
  const report: IsolationReport = {
    schemaVersion: 1,
    tool: 'vitest-isolation',
    version: versions.version,
    vitest: versions.vitest,
    summary: { ...counts, findings: list.length, byKind },
    findings: list,
  }
  if (journal.failures !== undefined && journal.failures.length > 0) report.failures = journal.failures
  const changes = dedupeChanges(journal.changes ?? [])
  if (changes.length > 0) report.changes = changes
  return report
}

/** Merges reports (e.g. one per shard) into one: counts add up, findings are joined per object and origin. */
export function mergeReports(reports: readonly IsolationReport[]): IsolationReport {
  if (reports.length === 0) throw new Error('[vitest-isolation] mergeReports needs at least one report')
  for (const report of reports) {
    if (report.schemaVersion !== 1 || report.tool !== 'vitest-isolation') {
      throw new Error(`[vitest-isolation] cannot merge a report with tool "${report.tool}" and schemaVersion ${report.schemaVersion}: only vitest-isolation schemaVersion 1 reports can be merged`)
    }
  }
  const counts = { files: 0, tests: 0, isolatedTests: 0 }
  for (const { summary } of reports) {
    counts.files += summary.files
    counts.tests += summary.tests
    counts.isolatedTests += summary.isolatedTests
  }
  const [first] = reports
  return buildReport(reports.flatMap((r) => r.findings), counts, { version: first.version, vitest: first.vitest }, {
    failures: reports.flatMap((r) => r.failures ?? []),
    changes: reports.flatMap((r) => r.changes ?? []),
  })
}

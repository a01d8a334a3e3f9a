// `vitest-isolation report`: merges JSON reports (one per shard, say) and prints them as the console reporter does.
import fs from 'node:fs'
import path from 'node:path'

import { formatJournal, formatReport, mergeReports, type IsolationReport } from '../runtime/report/index.ts'
import type { CommandIo } from './command.ts'
import { UsageError, parseStrict } from './usage.ts'

/** The help text of `report`. */
export function reportHelp(): string {
  return `Usage: vitest-isolation report <report.json…> [options]

Merges vitest-isolation JSON reports (the plugin's \`report\` option, e.g. one per
--shard run) and prints the findings as the console reporter does after a run.
Counts add up; a finding seen in several reports is listed once, with every test
that observed it.

Options:
  --json      print the merged report (schemaVersion 1) as JSON instead
  -h, --help  show this help

Exit codes: 0 printed, 2 usage error (bad arguments, a file that cannot be read or
is not a vitest-isolation report).`
}

/** Runs `report` and returns its exit code (usage errors are thrown as UsageError). */
export async function reportCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseStrict({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  })
  if (values.help) {
    io.stdout(reportHelp())
    return 0
  }
  if (positionals.length === 0) throw new UsageError('missing <report.json>: give one or more JSON reports to merge')
  const merged = mergeReports(positionals.map((file) => readReport(path.resolve(io.cwd, file), file)))
  // Printed in full here: the journal's changes that no failure followed are what a user asks this command for.
  const journal = formatJournal(merged, true)
  io.stdout(values.json ? JSON.stringify(merged, null, 2) : journal === '' ? formatReport(merged) : `${journal}\n\n${formatReport(merged)}`)
  return 0
}

function readReport(file: string, shown: string): IsolationReport {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(error))
    throw new UsageError(`cannot read ${shown}: ${why}`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`${shown} is not valid JSON: ${(error as Error).message.split('\n')[0]}`)
  }
  if (!isReport(data)) {
    throw new UsageError(`${shown} is not a vitest-isolation report (expected tool "vitest-isolation", schemaVersion 1, summary and findings)`)
  }
  return data
}

function isReport(data: unknown): data is IsolationReport {
  if (typeof data !== 'object' || data === null) return false
  const report = data as Partial<IsolationReport>
  return (
    report.tool === 'vitest-isolation' &&
    report.schemaVersion === 1 &&
    typeof report.summary === 'object' &&
    report.summary !== null &&
    Array.isArray(report.findings)
  )
}

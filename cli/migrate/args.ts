// The command line of `migrate`: parsed strictly, checked against the file system, every problem one UsageError.
import path from 'node:path'

import { UsageError, existing, parseStrict, seconds } from '../usage.ts'

export interface MigrateArgs {
  help: boolean
  json: boolean
  write: boolean
  config: string | null
  root: string | null
  project: string | null
  /** `--timeout`: seconds for the whole migrate, after which no more hunts start; null for the default. */
  timeout: number | null
}

/** The budget when `--timeout` is not given. */
export const DEFAULT_TIMEOUT_S = 300

/** The help text of `migrate`. */
export function migrateHelp(): string {
  return `Usage: vitest-isolation migrate [options]

Takes a suite from Vitest's per-file isolation to isolate: false. Runs it as
configured (the baseline), then with isolate: false and vitest-isolation's plugin
(added when the config has none), in the configured order and shuffled (seed 1);
explains every test that breaks when shared (the state journal's causes, confirmed
by hunt), proposes the // @isolate markers that fix what markers can fix, lists
the rest with the fix to apply by hand, and prints a report card with the speed-up.

Options:
  -c, --config <file>  Vitest config file (default: the one Vitest finds in the root)
  -r, --root <dir>     Vitest root (default: the current directory)
  --project <name>     only this project of the config
  --write              insert the proposed markers (comment lines, nothing else),
                       then run the shared runs again to verify them; a file
                       changed on disk during the migrate is not written
  --timeout <seconds>  time budget: no hunt starts after it (default: ${DEFAULT_TIMEOUT_S})
  --json               print one JSON object on stdout (progress stays on stderr)
  -h, --help           show this help

Exit codes: 0 the suite passes with isolate: false (after the written markers),
1 tests still fail (each listed with its causes), 2 usage error.`
}

/** Parses `migrate`'s arguments; throws a UsageError for anything wrong. */
export function parseMigrateArgs(argv: string[], cwd: string): MigrateArgs {
  const { values } = parseStrict({
    args: argv,
    allowPositionals: false,
    options: {
      config: { type: 'string', short: 'c' },
      root: { type: 'string', short: 'r' },
      project: { type: 'string' },
      write: { type: 'boolean' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const root = values.root === undefined ? null : existing(path.resolve(cwd, values.root), 'directory', '--root')
  const config = values.config === undefined ? null : existing(path.resolve(cwd, values.config), 'file', '--config')
  if (values.project === '') throw new UsageError('--project needs a project name')
  return {
    help: values.help === true,
    json: values.json === true,
    write: values.write === true,
    config,
    root: root ?? (config === null ? cwd : null),
    project: values.project ?? null,
    timeout: values.timeout === undefined ? null : seconds(values.timeout, '--timeout'),
  }
}


// The command that replays a found pollution with plain Vitest. Plain Vitest orders files by its results cache (failed
// first, then slowest first), so the order of two files on the command line means nothing and a failing replay would pass
// the second time. `--sequence.shuffle.files` with a seed is the one order the command line can pin: the hunt's worker
// looks for a seed under which Vitest's own RandomSequencer puts the polluters before the victim.
import path from 'node:path'

/** Tests `-t` must match: one test by its names, or (`prefix`) every test of the suite these names lead to. */
export interface Selector {
  names: readonly string[]
  prefix?: boolean
}

/** What the replay must run: files in order (the victim's last) and, when tests are selected, the tests `-t` must match. */
export interface ReplayPlan {
  cwd: string
  /** `--config` / `--root` as absolute paths, when the hunt was given them. */
  config: string | null
  root: string | null
  files: string[]
  /** null runs every test of the listed files (no `-t`). */
  tests: Selector[] | null
}

/** The arguments after `vitest run`; `seed` pins the file order (null when a single file needs no order). */
export function replayArgs(plan: ReplayPlan, seed: number | null): string[] {
  const args = ['--no-isolate', '--maxWorkers=1', '--no-file-parallelism']
  if (seed !== null) args.push('--sequence.shuffle.files', `--sequence.seed=${seed}`)
  // Vitest resolves `--config` from the root, and the root and file filters from the current directory.
  if (plan.config) args.push('--config', relativeTo(plan.root ?? plan.cwd, plan.config))
  if (plan.root) args.push('--root', relativeTo(plan.cwd, plan.root))
  args.push(...plan.files.map((file) => relativeTo(plan.cwd, file)))
  if (plan.tests) args.push('-t', testNamePattern(plan.tests))
  return args
}

/** The full shell command a user can paste. */
export function formatCommand(args: readonly string[]): string {
  return ['npx', 'vitest', 'run', ...args].map(shellQuote).join(' ')
}

/**
 * A `-t` pattern that matches exactly the given tests, and every test of the given suites. Vitest matches `-t` against
 * the suite and test names joined by spaces (not the ` > ` of the full name), so the pattern is built from the names: a
 * suite is its names and a space, so that it names one suite instead of listing its tests.
 */
export function testNamePattern(selectors: readonly Selector[]): string {
  const joined = (selector: Selector): string => selector.names.map(escapeRegExp).join(' ')
  const exact = [...new Set(selectors.filter((s) => !s.prefix).map(joined))]
  const suites = [...new Set(selectors.filter((s) => s.prefix).map((s) => `${joined(s)} `))]
  if (suites.length === 0) return `^(?:${exact.join('|')})$`
  return `^(?:${[...exact.map((name) => `${name}$`), ...suites].join('|')})`
}

/** Escapes the characters that have a meaning in a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Quotes an argument for a POSIX shell when it needs quoting. */
export function shellQuote(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg
  return `'${arg.replace(/'/g, `'\\''`)}'`
}

function relativeTo(dir: string, file: string): string {
  const relative = path.relative(dir, file)
  if (relative === '') return '.'
  if (path.isAbsolute(relative)) return file // another drive
  return relative.split(path.sep).join('/')
}

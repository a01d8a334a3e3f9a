// The command line of `hunt`: parsed strictly, checked against the file system, every problem one UsageError.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { UsageError, existing, parseStrict, seconds } from '../usage.ts'

/** The options of one hunt, with paths made absolute. */
export interface HuntArgs {
  help: boolean
  json: boolean
  victimFile: string
  /** Vitest's full name of the victim test (`suite > test`), or null for the whole file. */
  victimTest: string | null
  config: string | null
  root: string | null
  workers: number
  seed: number | null
  /** `--timeout`: the time budget in seconds, or null for none. */
  timeout: number | null
  /** Add vitest-isolation's plugin to a config without it (not an option of `hunt`: `migrate` sets it). */
  plugin?: boolean
}

/** The help text of `hunt`. */
export function huntHelp(): string {
  return `Usage: vitest-isolation hunt <victim> [options]

Finds the test(s) that make <victim> fail when they run before it in one worker
with isolate: false, and prints a command that replays the failure.

<victim> is a test file, or 'file::suite > test' for one test (Vitest's full name).

Options:
  -c, --config <file>  Vitest config file (default: the one Vitest finds in the root)
  -r, --root <dir>     Vitest root (default: the current directory)
  --workers <n>        candidate sets run at once (default: ${defaultWorkers()}, the available cores)
  --seed <n>           run the candidates in the order of
                       'vitest --sequence.shuffle --sequence.seed=<n>' (default: file order)
  --timeout <seconds>  time budget: when it runs out, stop and report the polluters
                       confirmed so far (default: none)
  --json               print one JSON object on stdout (progress stays on stderr)
  -h, --help           show this help

Suspects that vitest-isolation's runtime names on the victim's failure (the state
journal's causes, the findings' origins) are tried first; bisection finds the rest.
Each polluter is printed on stderr as soon as it is confirmed.

Exit codes: 0 polluter found (also when --timeout cut the hunt short after one),
1 not reproducible, flaky, or cut short before any, 2 usage error.`
}

/** Parses `hunt`'s arguments; throws a UsageError for anything wrong. */
export function parseHuntArgs(argv: string[], cwd: string): HuntArgs {
  const { values, positionals } = parseStrict({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      root: { type: 'string', short: 'r' },
      workers: { type: 'string' },
      seed: { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const json = values.json === true
  if (values.help) {
    return { help: true, json, victimFile: '', victimTest: null, config: null, root: null, workers: 1, seed: null, timeout: null }
  }
  if (positionals.length === 0) throw new UsageError('missing <victim>: a test file, or file::test name')
  if (positionals.length > 1) throw new UsageError(`expected one <victim>, got ${positionals.length}: ${positionals.join(' ')}`)

  const root = values.root === undefined ? null : existing(path.resolve(cwd, values.root), 'directory', '--root')
  const config = values.config === undefined ? null : existing(path.resolve(cwd, values.config), 'file', '--config')
  const [fileArg, ...nameParts] = positionals[0].split('::')
  const victimTest = nameParts.length > 0 ? nameParts.join('::').trim() : null
  if (victimTest === '') throw new UsageError(`empty test name after '::' in '${positionals[0]}'`)
  return {
    help: false,
    json,
    victimFile: victimPath(fileArg, cwd, root),
    victimTest,
    config,
    root,
    workers: values.workers === undefined ? defaultWorkers() : integer(values.workers, '--workers', 1),
    seed: values.seed === undefined ? null : integer(values.seed, '--seed', 0),
    timeout: values.timeout === undefined ? null : seconds(values.timeout, '--timeout'),
  }
}

function defaultWorkers(): number {
  return Math.max(1, os.availableParallelism())
}

/** The victim file, relative to the current directory or, failing that, to `--root`. */
function victimPath(file: string, cwd: string, root: string | null): string {
  if (file === '') throw new UsageError('missing victim file before "::"')
  const candidates = [path.resolve(cwd, file), ...(root ? [path.resolve(root, file)] : [])]
  const found = candidates.find((candidate) => fs.existsSync(candidate))
  if (!found) throw new UsageError(`victim file not found: ${file}`)
  if (!fs.statSync(found).isFile()) throw new UsageError(`victim is not a file: ${file}`)
  return found
}

function integer(text: string, option: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`${option} expects an integer ≥ ${min}, got '${text}'`)
  }
  return Number(text)
}

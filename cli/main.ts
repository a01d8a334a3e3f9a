// The `vitest-isolation` dispatcher: global options, then one subcommand from the table.
import fs from 'node:fs'

import type { Command, CommandIo } from './command.ts'
import { huntCommand } from './hunt/index.ts'
import { migrateCommand } from './migrate/index.ts'
import { reportCommand } from './report.ts'
import { UsageError, usageLine } from './usage.ts'

/** The subcommands, in help order. A new command is one entry here. */
const commands: Record<string, Command> = {
  hunt: { usage: 'hunt <victim>', summary: 'find the test(s) that pollute a failing test', run: huntCommand },
  migrate: { usage: 'migrate', summary: 'take a suite from per-file isolation to isolate: false, with a report card', run: migrateCommand },
  report: { usage: 'report <report.json…>', summary: 'merge JSON reports (e.g. one per shard) and print the findings', run: reportCommand },
}

/** Runs the bin with `argv` (without node and the script) and returns the exit code. */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [first, ...rest] = argv
  const command = first === undefined ? undefined : commands[first]
  try {
    if (command) return await command.run(rest, io)
    if (first === undefined || first === '--help' || first === '-h') {
      io.stdout(help())
      return 0
    }
    if (first === '--version' || first === '-v') {
      io.stdout(version())
      return 0
    }
    throw new UsageError(first.startsWith('-') ? `unknown option '${first}'` : `unknown command '${first}'`)
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(usageLine(command ? first : null, error.message))
      return 2
    }
    // Anything else (a config Vitest cannot load, a crash) is still one line; the stack is there when asked for.
    const message = error instanceof Error ? error.message : String(error)
    io.stderr(`[vitest-isolation] ${command ? `${first}: ` : ''}${message.split('\n')[0]}`)
    if (process.env.DEBUG) io.stderr(String((error as Error).stack ?? error))
    return 1
  }
}

function help(): string {
  const width = Math.max(...Object.values(commands).map((c) => c.usage.length)) + 2
  const list = Object.values(commands).map((c) => `  ${c.usage.padEnd(width)}${c.summary}`)
  return [
    'Usage: vitest-isolation <command> [options]',
    '',
    'Commands:',
    ...list,
    '',
    'Options:',
    '  -h, --help     show this help',
    '  -v, --version  print the version',
    '',
    "Run 'vitest-isolation <command> --help' for a command's options.",
  ].join('\n')
}

/** The package version, from the package.json above this file (dist/cli/ when built, cli/ in the repository). */
function version(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    const file = new URL('package.json', dir)
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'vitest-isolation' && pkg.version) return pkg.version
    }
    if (dir.pathname === '/') return 'unknown'
  }
}

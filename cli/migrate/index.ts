// `vitest-isolation migrate`: argument handling, output and exit code around one migrate.
import path from 'node:path'

import type { CommandIo } from '../command.ts'
import { migrateHelp, parseMigrateArgs } from './args.ts'
import { formatCard, toJson } from './card.ts'
import { migrate } from './migrate.ts'

/** Runs `migrate` and returns its exit code: 0 the suite passes shared (after written markers), 1 failures remain. */
export async function migrateCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseMigrateArgs(argv, io.cwd)
  if (args.help) {
    io.stdout(migrateHelp())
    return 0
  }
  const result = await migrate(args, (line) => io.stderr(`[vitest-isolation] migrate: ${line}`))
  const config = args.config === null ? null : path.relative(io.cwd, args.config)
  io.stdout(args.json ? JSON.stringify(toJson(result), null, 2) : formatCard(result, { write: args.write, config }))
  return result.passes ? 0 : 1
}

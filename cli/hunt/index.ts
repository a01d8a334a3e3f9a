// `vitest-isolation hunt`: argument handling, output and exit code around one hunt.
import { huntHelp, parseHuntArgs } from './args.ts'
import { hunt } from './hunt.ts'
import { formatFound, formatNotReproduced, toJson } from './report.ts'
import type { CommandIo } from '../command.ts'

/** Runs `hunt` and returns its exit code: 0 found, 1 not reproducible (usage errors are thrown as UsageError). */
export async function huntCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseHuntArgs(argv, io.cwd)
  if (args.help) {
    io.stdout(huntHelp())
    return 0
  }
  const result = await hunt(args, io.cwd, (line) => io.stderr(line))
  if (args.json) io.stdout(JSON.stringify(toJson(result), null, 2))
  if (result.polluters.length === 0) {
    io.stderr(formatNotReproduced(result))
    return 1
  }
  if (!args.json) io.stdout(formatFound(result))
  return 0
}

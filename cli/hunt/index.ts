// `vitest-isolation hunt`: argument handling, output and exit code around one hunt.
import { huntHelp, parseHuntArgs } from './args.ts'
import { hunt } from './hunt.ts'
import { formatFound, formatNotFound, toJson } from './report.ts'
import type { CommandIo } from '../command.ts'

/**
 * Runs `hunt` and returns its exit code: 0 found (also when the time budget cut the hunt short after a polluter was
 * confirmed), 1 not reproducible, flaky or nothing confirmed in time (usage errors are thrown as UsageError). Progress
 * goes to stderr as it happens; stdout gets the report, or the JSON object, at the end.
 */
export async function huntCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = parseHuntArgs(argv, io.cwd)
  if (args.help) {
    io.stdout(huntHelp())
    return 0
  }
  const result = await hunt(args, io.cwd, (line) => io.stderr(`[vitest-isolation] hunt: ${line}`))
  if (args.json) io.stdout(JSON.stringify(toJson(result), null, 2))
  else if (result.polluters.length > 0) io.stdout(formatFound(result))
  const found = result.polluters.length > 0 && !result.flaky
  if (!found) io.stderr(formatNotFound(result))
  return found ? 0 : 1
}

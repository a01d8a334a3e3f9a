// One hunt from start to end: list the candidates, verify that the failure reproduces, search, and build the replay.
import path from 'node:path'
import { performance } from 'node:perf_hooks'

import { HuntPool } from './pool.ts'
import { formatCommand, replayArgs } from './replay.ts'
import type { ReplayPlan } from './replay.ts'
import { findPolluters } from './search.ts'
import type { Origin, ReplayOutcome, RunOutcome, TestInfo, VictimRef } from './protocol.ts'
import { runFilesFor, splitter, testUnits, unitKey } from './units.ts'
import type { Unit, VictimUnit } from './units.ts'
import { UsageError } from '../usage.ts'
import type { HuntArgs } from './args.ts'

/** A polluter as reported: `file` relative to the root, `test` the full name or null when the module scope pollutes. */
export interface Polluter {
  file: string
  test: string | null
}

/** A replay command; `verified` is true when the hunt ran it and saw the victim fail, null when it was not run. */
export interface Replay {
  command: string
  verified: boolean | null
}

/** Everything a report needs. */
export interface HuntResult {
  victim: { file: string; test: string | null }
  reproduced: boolean
  /** Why nothing was found, in one line (null when polluters were found). */
  reason: string | null
  victimError: string | null
  /** Minimal polluting sets: one unit for a single polluter, two for a pair that pollutes only together. */
  polluters: Polluter[][]
  replays: Replay[]
  runs: number
  workers: number
  ms: number
}

/** Replays beyond the first are printed but not run, to keep the run count down; more than this are not printed. */
const MAX_REPLAYS = 5

/** Runs a hunt; throws a UsageError when the victim turns out not to be a test of the project. */
export async function hunt(args: HuntArgs, cwd: string, progress: (line: string) => void): Promise<HuntResult> {
  const started = performance.now()
  const pool = new HuntPool(args.workers, { root: args.root, config: args.config, seed: args.seed })
  try {
    const result = await huntWith(pool, args, cwd, progress)
    return { ...result, runs: pool.runs, workers: args.workers, ms: Math.round(performance.now() - started) }
  } finally {
    await pool.close()
  }
}

/** A result before the pool's totals are added. */
type Outcome = Omit<HuntResult, 'runs' | 'workers' | 'ms'>

async function huntWith(pool: HuntPool, args: HuntArgs, cwd: string, progress: (line: string) => void): Promise<Outcome> {
  const listing = await pool.list(args.victimFile)
  const rel = (file: string): string => path.relative(listing.root, file).split(path.sep).join('/')
  const victimFile = rel(args.victimFile)
  if (!listing.ok) {
    throw new UsageError(`${victimFile} is not a test file of this Vitest project (include: ${listing.include.join(', ')})`)
  }
  const files = listing.files
  const label = args.victimTest ? `${victimFile} > ${args.victimTest}` : victimFile
  const order = args.seed === null ? 'file order' : `the order of --sequence.seed=${args.seed}`
  const notFound = (reason: string, victimError: string | null = null): Outcome => ({
    victim: { file: victimFile, test: args.victimTest },
    reproduced: false,
    reason,
    victimError,
    polluters: [],
    replays: [],
  })

  // 1. Verify: the victim passes alone, and fails after every candidate (both runs at once).
  const byName: VictimRef = { file: args.victimFile, testId: null, fullName: args.victimTest }
  const namePattern = args.victimTest ? fullNamePattern(args.victimTest) : undefined
  const [alone, all] = await Promise.all([
    pool.run([{ file: args.victimFile, testIds: null, testNamePattern: namePattern }], byName, true),
    pool.run([...files.map((file) => ({ file, testIds: null })), { file: args.victimFile, testIds: null }], byName, true),
  ])
  if (!alone.victimFound) {
    throw new UsageError(`no test named "${args.victimTest}" in ${victimFile}${known(alone, args.victimFile)}`)
  }
  // Reported once the victim is known to exist, so that a wrong name stays a one-line usage error.
  const verdict = (outcome: RunOutcome): string => (outcome.victimFailed ? 'fails' : 'passes')
  progress(`verified: ${label} ${verdict(alone)} alone, ${verdict(all)} after ${files.length} other test file(s) in ${order}`)
  if (alone.victimFailed) return notFound(`${label} fails even when it runs alone`, alone.victimError)

  const testsByFile = new Map(Object.entries(all.tests))
  const victimRank = files.length
  const victim: VictimUnit = { file: args.victimFile, rank: victimRank, testId: all.victimTestId }
  const siblings = args.victimTest
    ? testUnits(args.victimFile, victimRank, testsByFile.get(args.victimFile) ?? []).filter(
        (u) => u.kind === 'test' && u.test.id !== all.victimTestId,
      )
    : []
  const candidates: Unit[] = [...files.map((file, rank): Unit => ({ kind: 'file', file, rank })), ...siblings]
  if (candidates.length === 0) return notFound(`${victimFile} is the only test file: nothing can run before it`)
  if (!all.victimFailed) {
    return notFound(
      `${label} passes after all ${files.length} other test file(s) ran before it in one worker with isolate: false (${order})`,
    )
  }

  // 2. Search, trying first the origins that vitest-isolation's findings name for the victim's failure.
  const split = splitter(testsByFile)
  const hints = hintUnits(all.origins, candidates, split, listing.root)
  if (hints.length > 0) progress(`trying first ${hints.length} origin(s) named by vitest-isolation's findings`)
  const victimRef: VictimRef = { file: args.victimFile, testId: all.victimTestId, fullName: null }
  const search = await findPolluters(
    candidates,
    {
      workers: args.workers,
      key: unitKey,
      split,
      runSet: async (set) => (await pool.run(runFilesFor(set, victim), victimRef)).victimFailed,
      onRound: ({ round, candidates: left, sets }) =>
        progress(`round ${round}: ${left} candidates left, ${sets} ${sets === 1 ? 'set' : 'sets'} running`),
    },
    { knownToFail: true, hints },
  )
  if (search.polluters.length === 0) {
    return {
      ...notFound(`${label} failed after all the candidates but never after a part of them: is it flaky?`),
      reproduced: true,
    }
  }

  // 3. Replay: plain Vitest, polluters first. The first command is run to check that it reproduces.
  const replays: Replay[] = []
  for (const [i, set] of search.polluters.slice(0, MAX_REPLAYS).entries()) {
    const plan = replayPlan(set, args, cwd, testsByFile.get(args.victimFile) ?? [], all.victimTestId)
    const outcome = await pool.replay({ plan, victim: victimRef, verify: i === 0 }).catch((error: unknown): ReplayOutcome => {
      // The polluters stand without a replay: say why the command could not be checked, and keep the result.
      progress(`the replay command could not be checked: ${error instanceof Error ? error.message.split('\n')[0] : error}`)
      return { seed: null, seedFound: false, ran: false, reproduced: false }
    })
    replays.push({
      command: formatCommand(replayArgs(plan, outcome.seed)),
      verified: outcome.ran ? outcome.reproduced : i === 0 ? false : null,
    })
  }
  return {
    victim: { file: victimFile, test: args.victimTest },
    reproduced: true,
    reason: null,
    victimError: all.victimError,
    polluters: search.polluters.map((set) =>
      inRunOrder(set).map((unit) => ({ file: rel(unit.file), test: unit.kind === 'test' ? unit.test.fullName : null })),
    ),
    replays,
  }
}

/** A name pattern for the alone run, before the victim's test id is known (see `testNamePattern` in replay.ts). */
function fullNamePattern(fullName: string): string {
  // Vitest matches `-t` against names joined by spaces, and a name may itself contain ' > ': accept either separator.
  const escaped = fullName.split(' > ').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return `^${escaped.join('(?: | > )')}$`
}

function known(outcome: RunOutcome, file: string): string {
  const names = (outcome.tests[file] ?? []).map((t) => `"${t.fullName}"`)
  if (names.length === 0) return ''
  return ` (it has ${names.slice(0, 5).join(', ')}${names.length > 5 ? `, … ${names.length - 5} more` : ''})`
}

/** Units for the origins the runtime's findings name, when they are among the candidates. */
function hintUnits(origins: Origin[], candidates: Unit[], split: ReturnType<typeof splitter>, root: string): Unit[] {
  const hints = new Map<string, Unit>()
  for (const origin of origins) {
    const file = path.resolve(root, origin.file)
    for (const candidate of candidates) {
      if (candidate.file !== file) continue
      const pieces = split(candidate)
      const unit =
        candidate.kind === 'test'
          ? candidate.test.fullName === origin.test
            ? candidate
            : undefined
          : origin.test === null
            ? pieces?.scope
            : pieces?.parts.find((u) => u.kind === 'test' && u.test.fullName === origin.test)
      if (unit) hints.set(unitKey(unit), unit)
    }
  }
  return [...hints.values()]
}

/** Units in the order they run: by file, then by test. */
function inRunOrder(set: Unit[]): Unit[] {
  const index = (unit: Unit): number => (unit.kind === 'test' ? unit.index : -1)
  return [...set].sort((a, b) => a.rank - b.rank || index(a) - index(b))
}

function replayPlan(set: Unit[], args: HuntArgs, cwd: string, victimTests: TestInfo[], victimTestId: string | null): ReplayPlan {
  const sorted = inRunOrder(set)
  const files = [...new Set([...sorted.map((u) => u.file), args.victimFile])]
  const selected = sorted.flatMap((u) => (u.kind === 'test' ? [u.test] : []))
  // A module scope pollutes on import, so its tests need not match; the victim's tests must.
  const victimSide = victimTestId === null ? victimTests : victimTests.filter((t) => t.id === victimTestId)
  const tests = selected.length === 0 && victimTestId === null ? null : [...selected, ...victimSide]
  return { cwd, config: args.config, root: args.root, files, tests }
}

// The search strategy of `hunt`, free of Vitest: given an oracle that says whether the victim fails after a set of candidates
// ran before it, find every minimal set of candidates that makes it fail — suspects first, then bisection for the rest.
// Each polluting set is reported as soon as it is confirmed; the machinery lives in minimize.ts.
import { Inconsistent, Search } from './minimize.ts'

export { splitInto } from './minimize.ts'

/** One concurrent batch of candidate sets, reported for progress output. */
export interface RoundInfo {
  round: number
  candidates: number
  sets: number
}

/** How a coarse unit (a file) breaks into finer ones (its tests); `scope` runs only its module scope. */
export interface Split<T> {
  scope: T
  parts: T[]
}

/** A coarser unit that holds a polluting one, and another unit of it whose pollution says the whole group pollutes. */
export interface GroupLevel<T> {
  group: T
  probe: T
}

/** What the search needs from its caller. */
export interface SearchSpace<T> {
  /** Runs the set (in the caller's order) before the victim and resolves `true` when the victim failed. */
  runSet: (set: readonly T[]) => Promise<boolean>
  /** A stable identity for a unit. */
  key: (unit: T) => string
  /** Finer units of a coarse one, or `null` for a unit that cannot be split further. */
  split?: (unit: T) => Split<T> | null
  /** The finest units a polluter stands for (a suite: its tests), all removed from the candidates with it. */
  members?: (unit: T) => T[]
  /** The groups a single polluting unit may stand for, innermost first (none: it is reported as it is). */
  groups?: (unit: T) => GroupLevel<T>[]
  /** How many sets may run at the same time. */
  workers: number
  onRound?: (info: RoundInfo) => void
  /** A polluting set, as soon as it is confirmed. */
  onFound?: (set: T[]) => void
}

/** Options of {@link findPolluters}. */
export interface FindOptions<T> {
  /** Single units to try first, each alone (e.g. the places the runtime names as the causes of the failure). */
  hints?: readonly T[]
  /** The caller already saw the victim fail after all the candidates, so that run is not repeated. */
  knownToFail?: boolean
}

/** The outcome of a search: minimal polluting sets (finest units) and what it cost. */
export interface SearchResult<T> {
  polluters: T[][]
  runs: number
  rounds: number
  /** A set after which the victim failed once and passed once (the search stopped there); null when it answered consistently. */
  flaky: T[] | null
}

/**
 * Finds every minimal polluting set among `candidates` (none when the victim passes after all of them). Hints are tried
 * first, each alone, in one round; bisection runs only on what they do not explain, and every set it finds is run a second
 * time (in the round that checks the rest) before it is reported. The loop ends: each polluter found removes at least one
 * candidate, and a search that cannot remove one stops.
 * @example
 * const { polluters } = await findPolluters(files, { runSet, key: (f) => f, workers: 2 })
 */
export async function findPolluters<T>(
  candidates: readonly T[],
  space: SearchSpace<T>,
  options: FindOptions<T> = {},
): Promise<SearchResult<T>> {
  const search = new Search(space)
  const polluters: T[][] = []
  const report = (set: T[]): void => {
    polluters.push(set)
    space.onFound?.(set)
  }
  let remaining = [...candidates]
  let knownToFail = options.knownToFail ?? false
  let flaky: T[] | null = null
  try {
    const hints = (options.hints ?? []).filter((hint) => search.contains(remaining, hint))
    // Each hint that fails is reported as soon as its run ends: a failing single unit is minimal on its own, since the
    // victim passes alone.
    await search.each(hints.map((hint) => [hint]), remaining.length, [], ([hint], failed) => {
      if (!failed || !search.contains(remaining, hint)) return
      report([hint])
      remaining = search.remove(remaining, hint)
      knownToFail = false
    })

    let unconfirmed: T[] | null = null // found by bisection, run once more with the next check of the rest
    while (remaining.length > 0) {
      let start: T[] | undefined = knownToFail ? remaining : search.knownFailingWithin(remaining)
      const again = unconfirmed ? [search.evidenceFor(unconfirmed)] : []
      if (!start) {
        const [restFails] = await search.batch([remaining], remaining.length, again)
        if (unconfirmed) report(unconfirmed)
        unconfirmed = null
        if (!restFails) break
        start = remaining
      } else if (unconfirmed) {
        await search.batch([], remaining.length, again)
        report(unconfirmed)
        unconfirmed = null
      }
      knownToFail = false
      let found = await search.narrow(await search.minimize(start, []))
      if (found.length === 0) break // the oracle contradicted itself; stop rather than loop
      if (found.length === 1) found = [await search.widen(found[0])]
      // Removing only one unit of a set keeps its partners: a unit that pollutes with several others is found with each.
      const left = search.remove(remaining, found[found.length - 1])
      unconfirmed = found
      if (left.length === remaining.length && left.every((u, i) => space.key(u) === space.key(remaining[i]))) break
      remaining = left
    }
    if (unconfirmed) {
      await search.batch([], remaining.length, [search.evidenceFor(unconfirmed)])
      report(unconfirmed)
    }
  } catch (error) {
    if (!(error instanceof Inconsistent)) throw error
    flaky = error.set as T[]
  }
  return { polluters, runs: search.runs, rounds: search.rounds, flaky }
}

// The search strategy of `hunt`, free of Vitest: given an oracle that says whether the victim fails after a set of candidates
// ran before it, find every minimal set of candidates that makes it fail.
//
// Ideas credited: the halving search of detect-test-pollution (asottile), which bisects in about log2(N) runs but assumes a
// single polluter; Zeller's delta debugging (ddmin) for growing the granularity when no single part fails; and Junker's
// QuickXplain for splitting a polluting *pair* apart with one half held fixed. What this file adds: k-way splits that use
// every worker at once, speculative descent with one confirmation run, and narrowing from coarse units (files) to fine ones
// (tests) through `split`.

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

/** What the search needs from its caller. */
export interface SearchSpace<T> {
  /** Runs the set (in the caller's order) before the victim and resolves `true` when the victim failed. */
  runSet: (set: readonly T[]) => Promise<boolean>
  /** A stable identity for a unit. */
  key: (unit: T) => string
  /** Finer units of a coarse one, or `null` for a unit that cannot be split further. */
  split?: (unit: T) => Split<T> | null
  /** How many sets may run at the same time. */
  workers: number
  onRound?: (info: RoundInfo) => void
}

/** Options of {@link findPolluters}. */
export interface FindOptions<T> {
  /** Single units to try first (e.g. origins named by the runtime's findings). */
  hints?: readonly T[]
  /** The caller already saw the victim fail after all the candidates, so that run is not repeated. */
  knownToFail?: boolean
}

/** The outcome of a search: minimal polluting sets (finest units) and what it cost. */
export interface SearchResult<T> {
  polluters: T[][]
  runs: number
  rounds: number
}

/** Splits `items` into `k` contiguous parts whose sizes differ by at most one (larger parts first). */
export function splitInto<T>(items: readonly T[], k: number): T[][] {
  const parts: T[][] = []
  const n = items.length
  const count = Math.max(1, Math.min(k, n))
  let start = 0
  for (let i = 0; i < count; i++) {
    const size = Math.floor(n / count) + (i < n % count ? 1 : 0)
    parts.push(items.slice(start, start + size))
    start += size
  }
  return parts
}

/**
 * Finds every minimal polluting set among `candidates` (none when the victim passes after all of them).
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
  let remaining = [...candidates]
  let knownToFail = options.knownToFail ?? false

  const hints = (options.hints ?? []).filter((hint) => search.contains(remaining, hint))
  if (hints.length > 0) {
    const results = await search.batch(hints.map((hint) => [hint]), remaining.length)
    hints.forEach((hint, i) => {
      if (!results[i]) return
      // A failing single unit is minimal on its own, since the victim passes alone.
      polluters.push([hint])
      remaining = search.remove(remaining, hint)
      knownToFail = false
    })
  }

  while (remaining.length > 0) {
    let start: T[] | undefined = knownToFail ? remaining : search.knownFailingWithin(remaining)
    if (!start) {
      if (!(await search.batch([remaining], remaining.length))[0]) break
      start = remaining
    }
    const found = await search.narrow(await search.minimize(start, []))
    if (found.length === 0) break // the oracle contradicted itself; stop rather than loop
    polluters.push(found)
    // Removing only one unit of a set keeps its partners: a unit that pollutes with several others is found with each.
    remaining = search.remove(remaining, found[found.length - 1])
    knownToFail = false
  }
  return { polluters, runs: search.runs, rounds: search.rounds }
}

class Search<T> {
  runs = 0
  rounds = 0
  private readonly memo = new Map<string, boolean>()
  private readonly failing: T[][] = []
  private readonly workers: number

  constructor(private readonly space: SearchSpace<T>) {
    this.workers = Math.max(1, Math.floor(space.workers))
  }

  /** Runs the sets concurrently (one round), answering repeated sets from memory. */
  async batch(sets: T[][], candidates: number): Promise<boolean[]> {
    const keys = sets.map((set) => this.setKey(set))
    const fresh = sets.filter((_, i) => !this.memo.has(keys[i]) && keys.indexOf(keys[i]) === i)
    if (fresh.length > 0) {
      this.rounds++
      this.space.onRound?.({ round: this.rounds, candidates, sets: fresh.length })
      const results = await Promise.all(fresh.map((set) => this.space.runSet(set)))
      this.runs += fresh.length
      fresh.forEach((set, i) => {
        this.memo.set(this.setKey(set), results[i])
        if (results[i]) this.failing.push(set)
      })
    }
    return sets.map((set) => this.memo.get(this.setKey(set)) === true)
  }

  /** Returns a minimal M ⊆ cands with fails(fixed ∪ M); fails(fixed ∪ cands) must be known. */
  async minimize(cands: T[], fixed: T[]): Promise<T[]> {
    let anchor = cands // the deepest set verified to fail
    let current = cands
    let verified = true
    while (current.length > 1) {
      // With w workers, cut into w + 1 parts and run w of them: if none fails, the last one is assumed (and confirmed at
      // the end), so each round divides the candidates by w + 1 — plain bisection is the case w = 1.
      const parts = splitInto(current, this.workers + 1)
      const tested = parts.length > this.workers ? parts.slice(0, this.workers) : parts
      const results = await this.batch(tested.map((part) => [...fixed, ...part]), current.length)
      const hit = results.indexOf(true)
      if (hit >= 0) {
        current = anchor = tested[hit]
        verified = true
      } else if (tested.length < parts.length) {
        current = parts[parts.length - 1]
        verified = false
      } else if (verified) {
        return this.interaction(current, parts, fixed)
      } else {
        return this.careful(anchor, fixed)
      }
    }
    if (!verified && !(await this.batch([[...fixed, ...current]], 1))[0]) return this.careful(anchor, fixed)
    return current
  }

  /** Replaces each coarse unit of a minimal set by the finest units that still make the victim fail. */
  async narrow(set: T[]): Promise<T[]> {
    const result = [...set]
    for (let i = 0; i < result.length; i++) {
      const split = this.space.split?.(result[i])
      if (!split) continue
      const others = result.filter((_, j) => j !== i)
      // A file whose module scope alone pollutes is reported as the file, not as whichever of its tests came first.
      if (split.parts.length === 0 || (await this.batch([[...others, split.scope]], split.parts.length))[0]) {
        result[i] = split.scope
        continue
      }
      const finer = await this.narrow(await this.minimize(split.parts, others))
      result.splice(i, 1, ...finer)
      i += finer.length - 1
    }
    return result
  }

  /** The smallest set already seen failing whose units are all still candidates. */
  knownFailingWithin(remaining: T[]): T[] | undefined {
    const keys = new Set(remaining.map((u) => this.space.key(u)))
    return this.failing
      .filter((set) => set.every((u) => keys.has(this.space.key(u))))
      .sort((a, b) => a.length - b.length)[0]
  }

  /** Whether `unit` is a candidate, directly or inside a coarse candidate. */
  contains(remaining: T[], unit: T): boolean {
    return remaining.some((r) => this.owns(r, unit))
  }

  /** Drops `unit` from the candidates, splitting the coarse candidate that holds it. */
  remove(remaining: T[], unit: T): T[] {
    const key = this.space.key(unit)
    return remaining.flatMap((r) => {
      if (this.space.key(r) === key) return []
      if (!this.owns(r, unit)) return [r]
      const split = this.space.split?.(r)
      if (!split || this.space.key(split.scope) === key) return []
      return this.remove(split.parts, unit)
    })
  }

  private owns(candidate: T, unit: T): boolean {
    const key = this.space.key(unit)
    if (this.space.key(candidate) === key) return true
    const split = this.space.split?.(candidate)
    return !!split && (this.space.key(split.scope) === key || split.parts.some((p) => this.owns(p, unit)))
  }

  /** Re-examines a verified failing set testing every part, after a speculative descent proved wrong. */
  private async careful(set: T[], fixed: T[]): Promise<T[]> {
    // The same partition as the fast round at this set, so only the part that was assumed needs a run.
    const parts = splitInto(set, this.workers + 1)
    const results = await this.batch(parts.map((part) => [...fixed, ...part]), set.length)
    const hit = results.indexOf(true)
    if (hit >= 0) return this.minimize(parts[hit], fixed)
    return this.interaction(set, parts, fixed)
  }

  /** No part fails alone: the polluter needs units from several parts (e.g. a pair). */
  private async interaction(set: T[], parts: T[][], fixed: T[]): Promise<T[]> {
    let first = parts[0] // with two parts, each is needed: neither fails alone
    if (parts.length > 2) {
      // ddmin's complement step: a part whose removal stops the failure holds a member of the polluting set.
      const complements = parts.map((_, i) => parts.filter((__, j) => j !== i).flat())
      const results = await this.batch(complements.map((c) => [...fixed, ...c]), set.length)
      const needed = results.indexOf(false)
      if (needed < 0) return this.minimize(complements[0], fixed)
      first = parts[needed]
    }
    // QuickXplain: hold a needed part fixed so the partner is a single culprit in the rest, then find the member of the
    // needed part against that partner.
    const rest = parts.filter((part) => part !== first).flat()
    const fromRest = await this.minimize(rest, [...fixed, ...first])
    const fromFirst = await this.minimize(first, [...fixed, ...fromRest])
    return [...fromFirst, ...fromRest]
  }

  private setKey(set: readonly T[]): string {
    return set
      .map((u) => this.space.key(u))
      .sort()
      .join('\n')
  }
}

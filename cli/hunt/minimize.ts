// The machinery of the search: rounds of concurrent runs answered from memory when repeated, the descent to a minimal
// polluting set, its narrowing from coarse units (files) to fine ones (tests), and the widening of a single polluting test
// to the suite or file it stands for.
//
// Ideas credited: the halving search of detect-test-pollution (asottile), which bisects in about log2(N) runs but assumes a
// single polluter; Zeller's delta debugging (ddmin) for growing the granularity when no single part fails; and Junker's
// QuickXplain for splitting a polluting *pair* apart with one half held fixed. What this file adds: k-way splits that use
// every worker at once, speculative descent with one confirmation run, and narrowing through `split`.
import type { SearchSpace } from './search.ts'

/** The victim answered differently for the same tests: the set that failed once and passed when run again. */
export class Inconsistent<T> extends Error {
  constructor(readonly set: T[]) {
    super('the victim failed and then passed after the same tests')
  }
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

export class Search<T> {
  runs = 0
  rounds = 0
  private readonly memo = new Map<string, boolean>()
  private readonly failing: T[][] = []
  /** A group (suite, file) found by widening → the single test whose runs showed it. */
  private readonly evidence = new Map<string, T>()
  private readonly workers: number

  constructor(private readonly space: SearchSpace<T>) {
    this.workers = Math.max(1, Math.floor(space.workers))
  }

  /**
   * Runs the sets concurrently (one round), answering repeated sets from memory. `again` are sets already seen failing,
   * run once more in the same round: one that passes now makes the victim flaky ({@link Inconsistent}).
   */
  async batch(sets: T[][], candidates: number, again: T[][] = []): Promise<boolean[]> {
    return this.each(sets, candidates, again)
  }

  /** {@link batch}, telling `onResult` each fresh set's answer as soon as its run ends. */
  async each(sets: T[][], candidates: number, again: T[][] = [], onResult?: (set: T[], failed: boolean) => void): Promise<boolean[]> {
    const keys = sets.map((set) => this.setKey(set))
    const fresh = sets.filter((_, i) => !this.memo.has(keys[i]) && keys.indexOf(keys[i]) === i)
    if (fresh.length + again.length > 0) {
      this.rounds++
      this.runs += fresh.length + again.length
      this.space.onRound?.({ round: this.rounds, candidates, sets: fresh.length + again.length })
      const remember = async (set: T[]): Promise<void> => {
        const failed = await this.space.runSet(set)
        this.memo.set(this.setKey(set), failed)
        if (failed) this.failing.push(set)
        onResult?.(set, failed)
      }
      const rerun = async (set: T[]): Promise<void> => {
        if (!(await this.space.runSet(set))) throw new Inconsistent(set)
      }
      await Promise.all([...fresh.map(remember), ...again.map(rerun)])
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

  /**
   * A single polluting unit, or the outermost group holding it whose probe pollutes too (every inner probe as well):
   * one run per level, all in one round. The group is then one polluter, not one per test.
   */
  async widen(unit: T): Promise<T> {
    const levels = this.space.groups?.(unit) ?? []
    if (levels.length === 0) return unit
    const results = await this.batch(levels.map((level) => [level.probe]), levels.length)
    let widest = unit
    for (const [i, level] of levels.entries()) {
      if (!results[i]) break
      widest = level.group
    }
    if (widest !== unit) this.evidence.set(this.space.key(widest), unit)
    return widest
  }

  /** The runs that showed a set to pollute: a widened group is shown by its single test. */
  evidenceFor(set: T[]): T[] {
    return set.map((unit) => this.evidence.get(this.space.key(unit)) ?? unit)
  }

  /** The smallest set already seen failing whose units are all still candidates. */
  knownFailingWithin(remaining: T[]): T[] | undefined {
    const keys = new Set(remaining.map((u) => this.space.key(u)))
    return this.failing
      .filter((set) => set.every((u) => keys.has(this.space.key(u))))
      .sort((a, b) => a.length - b.length)[0]
  }

  /** Whether `unit` (one of its members, for a group) is a candidate, directly or inside a coarse candidate. */
  contains(remaining: T[], unit: T): boolean {
    return this.membersOf(unit).some((member) => remaining.some((r) => this.owns(r, member)))
  }

  /** Drops `unit` (every member of a group) from the candidates, splitting the coarse candidates that hold it. */
  remove(remaining: T[], unit: T): T[] {
    return this.membersOf(unit).reduce((left, member) => this.removeOne(left, member), remaining)
  }

  private membersOf(unit: T): T[] {
    return this.space.members?.(unit) ?? [unit]
  }

  private removeOne(remaining: T[], unit: T): T[] {
    const key = this.space.key(unit)
    return remaining.flatMap((r) => {
      if (this.space.key(r) === key) return []
      if (!this.owns(r, unit)) return [r]
      const split = this.space.split?.(r)
      if (!split || this.space.key(split.scope) === key) return []
      return this.removeOne(split.parts, unit)
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
    // Everything below builds on fails(fixed ∪ set); a set only assumed to fail (the caller's knowledge) is run first.
    const whole = [...fixed, ...set]
    if (!this.memo.has(this.setKey(whole))) await this.batch([whole], set.length)
    if (!this.memo.get(this.setKey(whole))) throw new Inconsistent(whole)
    let first = parts[0] // with two parts, each is needed: neither fails alone
    if (parts.length > 2) {
      // ddmin's complement step: a part whose removal stops the failure holds a member of the polluting set.
      const complements = parts.map((_, i) => parts.filter((__, j) => j !== i).flat())
      const results = await this.batch(complements.map((c) => [...fixed, ...c]), set.length)
      const needed = results.indexOf(false)
      if (needed < 0) return this.minimize(complements[0], fixed)
      // Every complement passes: a member in every part, or a victim that no longer fails after this very set.
      if (results.every((failed) => !failed)) await this.batch([], set.length, [whole])
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

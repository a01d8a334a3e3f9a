// The suite as the verification run saw it: which tests each file has, in which suites. From it come the finer units of
// a file, the groups a polluting test may stand for (its suite, its file), and the group a journal's hook names.
import type { GroupLevel, Split } from './search.ts'
import type { HookKind, TestInfo } from './protocol.ts'
import { testUnits } from './units.ts'
import type { GroupUnit, TestUnit, Unit } from './units.ts'

/** The victim's file and test (`testId` null when the whole file is the victim). */
export interface VictimPlace {
  file: string
  testId: string | null
}

export class Catalog {
  private readonly units = new Map<string, TestUnit[]>()
  private readonly splits = new Map<string, Split<Unit>>()

  constructor(
    private readonly testsByFile: ReadonlyMap<string, readonly TestInfo[]>,
    private readonly ranks: ReadonlyMap<string, number>,
    private readonly victim: VictimPlace,
  ) {}

  /** The rank (run order) of a file, or undefined when it is no candidate. */
  rank(file: string): number | undefined {
    return this.ranks.get(file)
  }

  isVictimFile(file: string): boolean {
    return file === this.victim.file
  }

  /** The candidate tests of a file: all of them, but in the victim's file only the victim's siblings. */
  testsOf(file: string): TestUnit[] {
    let units = this.units.get(file)
    if (!units) {
      const rank = this.ranks.get(file) ?? Number.MAX_SAFE_INTEGER
      const all = testUnits(file, rank, this.testsByFile.get(file) ?? [])
      const isVictimFile = file === this.victim.file
      units = isVictimFile ? (this.victim.testId ? all.filter((u) => u.test.id !== this.victim.testId) : []) : all
      this.units.set(file, units)
    }
    return units
  }

  /** How a file unit splits into its module scope and its tests. */
  split(unit: Unit): Split<Unit> | null {
    if (unit.kind !== 'file') return null
    let split = this.splits.get(unit.file)
    if (!split) {
      split = { scope: { kind: 'scope', file: unit.file, rank: unit.rank }, parts: this.testsOf(unit.file) }
      this.splits.set(unit.file, split)
    }
    return split
  }

  /**
   * The groups a polluting test may stand for, innermost first: each suite around it, then its file, as long as the test
   * is the first of the group (a search that narrows a group whose every test pollutes ends on its first test). The probe
   * of a group is its last test: when it pollutes too, the group is reported instead of the test. One probe per group is
   * a cheap sign, not a proof that every test of it pollutes.
   */
  groups(unit: Unit): GroupLevel<Unit>[] {
    if (unit.kind !== 'test') return []
    const suites = unit.test.names.slice(0, -1)
    const levels: GroupLevel<Unit>[] = []
    for (let depth = suites.length; depth >= 0; depth--) {
      const group = this.group(unit.file, suites.slice(0, depth), null)
      if (!group || group.tests[0].test.id !== unit.test.id) break
      const probe = group.tests[group.tests.length - 1]
      if (probe.test.id === unit.test.id) continue // a group of one test says nothing more
      // A suite that holds every test of its parent is the parent: keep the outer one only.
      if (levels.length > 0 && levels[levels.length - 1].probe === probe) levels.pop()
      levels.push({ group, probe })
    }
    return levels
  }

  /**
   * The group of a hook the journal names: the tests of `suite` (a full name `outer > inner`; absent: every test of the
   * file). Null when no candidate test is in it, or when it holds the victim (its hooks run when the victim runs alone).
   */
  hookGroup(file: string, suite: string | undefined, hook: HookKind): GroupUnit | null {
    const path = suite === undefined ? [] : this.suitePath(file, suite)
    return path ? this.group(file, path, hook) : null
  }

  private group(file: string, suite: string[], hook: HookKind | null): GroupUnit | null {
    const under = (names: readonly string[]): boolean => names.length > suite.length && suite.every((n, i) => names[i] === n)
    if (file === this.victim.file) {
      const victim = (this.testsByFile.get(file) ?? []).find((t) => t.id === this.victim.testId)
      if (!victim || under(victim.names)) return null
    }
    const tests = this.testsOf(file).filter((u) => under(u.test.names))
    if (tests.length === 0) return null
    return { kind: 'group', file, rank: tests[0].rank, suite, hook, tests }
  }

  private suitePath(file: string, fullName: string): string[] | null {
    for (const test of this.testsByFile.get(file) ?? []) {
      for (let depth = 1; depth < test.names.length; depth++) {
        if (test.names.slice(0, depth).join(' > ') === fullName) return test.names.slice(0, depth)
      }
    }
    return null
  }
}

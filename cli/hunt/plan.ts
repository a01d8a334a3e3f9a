// What the replay of one polluting set runs: the polluters' files then the victim's, and a `-t` pattern short enough to
// paste — one name per test, one suite prefix per suite, and none at all when whole files are enough.
import type { ReplayPlan, Selector } from './replay.ts'
import { testNamePattern } from './replay.ts'
import type { TestInfo } from './protocol.ts'
import { inRunOrder } from './units.ts'
import type { Unit } from './units.ts'

/** What every replay of one hunt shares. */
export interface PlanContext {
  cwd: string
  config: string | null
  root: string | null
  victimFile: string
  victimTestId: string | null
  /** Every test of every file, as the verification run collected them. */
  testsByFile: ReadonlyMap<string, readonly TestInfo[]>
}

/** The replay plan of a polluting set. */
export function replayPlan(set: readonly Unit[], context: PlanContext): ReplayPlan {
  const sorted = inRunOrder(set)
  const files = [...new Set([...sorted.map((u) => u.file), context.victimFile])]
  const known = files.flatMap((file) => context.testsByFile.get(file) ?? [])
  const selectors: Selector[] = []
  // A group of a whole file needs one of its tests to run only when `-t` is there anyway.
  const fileGroups: Selector[] = []
  for (const unit of sorted) {
    if (unit.kind === 'test') selectors.push({ names: unit.test.names })
    if (unit.kind !== 'group') continue // a module scope (or a whole file) runs without any of its tests
    const first = { names: unit.tests[0].test.names }
    if (unit.suite.length === 0) fileGroups.push(first)
    else selectors.push(exactly({ names: unit.suite, prefix: true }, unit.tests.map((u) => u.test), known) ?? first)
  }
  const victimTests = context.testsByFile.get(context.victimFile) ?? []
  const plan = { cwd: context.cwd, config: context.config, root: context.root, files }
  if (selectors.length === 0 && context.victimTestId === null) return { ...plan, tests: null }
  const victimSide =
    context.victimTestId === null
      ? suitesOf(victimTests, known)
      : victimTests.filter((t) => t.id === context.victimTestId).map((t) => ({ names: t.names }))
  return { ...plan, tests: [...selectors, ...fileGroups, ...victimSide] }
}

/** Selectors for every test of a file: a prefix per top-level suite where it selects nothing else, names otherwise. */
function suitesOf(tests: readonly TestInfo[], known: readonly TestInfo[]): Selector[] {
  const selectors: Selector[] = []
  for (const top of [...new Set(tests.map((t) => t.names[0]))]) {
    const inside = tests.filter((t) => t.names[0] === top)
    const suite = inside.every((t) => t.names.length > 1) ? exactly({ names: [top], prefix: true }, inside, known) : null
    selectors.push(...(suite ? [suite] : inside.map((t) => ({ names: t.names }))))
  }
  return selectors
}

/** The selector when, among the tests the replay's files hold, it matches the wanted tests and no other; else null. */
function exactly(selector: Selector, wanted: readonly TestInfo[], known: readonly TestInfo[]): Selector | null {
  const pattern = new RegExp(testNamePattern([selector]))
  const ids = new Set(wanted.map((t) => t.id))
  return known.every((t) => pattern.test(t.names.join(' ')) === ids.has(t.id)) ? selector : null
}

// The hunt's candidates: whole files first, then (after narrowing) single tests, a file's module scope alone, or a group —
// every test of one suite or of one file — that stands for a hook or a file. A set of units becomes one Vitest run: the
// files in hunt order, each with the tests the set selects, and the victim last.
import type { HookKind, RunFile, TestInfo } from './protocol.ts'

/** One test of a file, with its place in the order Vitest collected the file. */
export interface TestUnit {
  kind: 'test'
  file: string
  rank: number
  test: TestInfo
  index: number
}

/** Every test of a suite (`suite` its names; `[]` every test of the file), reported as one polluter. */
export interface GroupUnit {
  kind: 'group'
  file: string
  rank: number
  suite: string[]
  /** The hook the runtime's journal named, or null when the search saw only that each test of the group pollutes. */
  hook: HookKind | null
  tests: TestUnit[]
}

/** A candidate of the search. */
export type Unit =
  | { kind: 'file'; file: string; rank: number }
  | { kind: 'scope'; file: string; rank: number }
  | TestUnit
  | GroupUnit

/** The victim as the runs need it: its file, that file's place (last), and its test id (null for a whole file). */
export interface VictimUnit {
  file: string
  rank: number
  testId: string | null
}

/** A stable identity of a unit for the search's memory. */
export function unitKey(unit: Unit): string {
  if (unit.kind === 'file') return unit.file
  if (unit.kind === 'scope') return `${unit.file}\0scope`
  if (unit.kind === 'group') return [unit.file, 'group', ...unit.suite].join('\0')
  return `${unit.file}\0${unit.test.id}`
}

/** The test units of a file, in the order Vitest collected them. */
export function testUnits(file: string, rank: number, tests: readonly TestInfo[]): TestUnit[] {
  return tests.map((test, index) => ({ kind: 'test', file, rank, test, index }))
}

/** The finest units a polluter stands for: a group's tests, else the unit itself. */
export function membersOf(unit: Unit): Unit[] {
  return unit.kind === 'group' ? unit.tests : [unit]
}

/** Compares units by the order they run: by file, then by test (a module scope first). */
export function byRunOrder(a: Unit, b: Unit): number {
  const index = (unit: Unit): number => (unit.kind === 'test' ? unit.index : unit.kind === 'group' ? (unit.tests[0]?.index ?? 0) : -1)
  return a.rank - b.rank || index(a) - index(b)
}

/** Units in the order they run. */
export function inRunOrder<U extends Unit>(set: readonly U[]): U[] {
  return [...set].sort(byRunOrder)
}

/** Polluting sets in the order they run (by their first unit), whatever order the search confirmed them in. */
export function setsInRunOrder(sets: readonly Unit[][]): Unit[][] {
  const ordered = sets.map((set) => inRunOrder(set))
  return ordered.sort((a, b) => byRunOrder(a[0], b[0]))
}

/** The files of one run: the set's files in hunt order with the tests it selects, then the victim's file. */
export function runFilesFor(set: readonly Unit[], victim: VictimUnit): RunFile[] {
  const byFile = new Map<string, { whole: boolean; tests: Map<string, number> }>()
  for (const unit of [...set].sort((a, b) => a.rank - b.rank)) {
    const entry = byFile.get(unit.file) ?? { whole: false, tests: new Map<string, number>() }
    if (unit.kind === 'file') entry.whole = true
    // A module scope alone adds no test: the file is imported, every test skipped.
    for (const member of unit.kind === 'test' || unit.kind === 'group' ? membersOf(unit) : []) {
      if (member.kind === 'test') entry.tests.set(member.test.id, member.index)
    }
    byFile.set(unit.file, entry)
  }
  const victimEntry = byFile.get(victim.file)
  byFile.delete(victim.file)
  const files: RunFile[] = [...byFile].map(([file, entry]) => ({ file, testIds: entry.whole ? null : idsInOrder(entry.tests) }))
  // The victim's earlier tests are candidates too: they run in the victim's file, together with the victim.
  const siblings = victimEntry ? idsInOrder(victimEntry.tests) : []
  files.push({ file: victim.file, testIds: victim.testId === null ? null : [...siblings, victim.testId] })
  return files
}

function idsInOrder(tests: Map<string, number>): string[] {
  return [...tests].sort((a, b) => a[1] - b[1]).map(([id]) => id)
}

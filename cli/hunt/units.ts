// The hunt's candidates: whole files first, then (after narrowing) single tests or a file's module scope alone. A set of
// units becomes one Vitest run: the files in hunt order, each with the tests the set selects, and the victim last.
import type { RunFile, TestInfo } from './protocol.ts'
import type { Split } from './search.ts'

/** A candidate of the search. */
export type Unit =
  | { kind: 'file'; file: string; rank: number }
  | { kind: 'scope'; file: string; rank: number }
  | { kind: 'test'; file: string; rank: number; test: TestInfo; index: number }

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
  return `${unit.file}\0${unit.test.id}`
}

/** The test units of a file, in the order Vitest collected them. */
export function testUnits(file: string, rank: number, tests: readonly TestInfo[]): Unit[] {
  return tests.map((test, index) => ({ kind: 'test', file, rank, test, index }))
}

/** How a file unit splits into its module scope and its tests (tests as seen in the verification run). */
export function splitter(testsByFile: ReadonlyMap<string, readonly TestInfo[]>): (unit: Unit) => Split<Unit> | null {
  const cache = new Map<string, Split<Unit>>()
  return (unit) => {
    if (unit.kind !== 'file') return null
    let split = cache.get(unit.file)
    if (!split) {
      split = {
        scope: { kind: 'scope', file: unit.file, rank: unit.rank },
        parts: testUnits(unit.file, unit.rank, testsByFile.get(unit.file) ?? []),
      }
      cache.set(unit.file, split)
    }
    return split
  }
}

/** The files of one run: the set's files in hunt order with the tests it selects, then the victim's file. */
export function runFilesFor(set: readonly Unit[], victim: VictimUnit): RunFile[] {
  const byFile = new Map<string, { rank: number; whole: boolean; tests: { id: string; index: number }[] }>()
  for (const unit of [...set].sort((a, b) => a.rank - b.rank)) {
    const entry = byFile.get(unit.file) ?? { rank: unit.rank, whole: false, tests: [] }
    if (unit.kind === 'file') entry.whole = true
    if (unit.kind === 'test') entry.tests.push({ id: unit.test.id, index: unit.index })
    byFile.set(unit.file, entry)
  }
  const victimEntry = byFile.get(victim.file)
  byFile.delete(victim.file)
  const files: RunFile[] = [...byFile].map(([file, entry]) => ({
    file,
    // `[]` for a module scope alone: the file is imported, every test skipped.
    testIds: entry.whole ? null : idsInOrder(entry.tests),
  }))
  // The victim's earlier tests are candidates too: they run in the victim's file, together with the victim.
  const siblings = victimEntry ? idsInOrder(victimEntry.tests) : []
  files.push({ file: victim.file, testIds: victim.testId === null ? null : [...siblings, victim.testId] })
  return files
}

function idsInOrder(tests: { id: string; index: number }[]): string[] {
  return tests.sort((a, b) => a.index - b.index).map((t) => t.id)
}

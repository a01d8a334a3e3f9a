// A fake suite for the search's unit tests: files `f0…f(n-1)`, each optionally holding tests `fX#tY`; `fX#scope` runs only
// the module scope of fX and `fX#all` every test of fX (a group). The oracle fails when every unit of some polluting set
// ran, where a file (whole) runs all of its tests and its scope, and `fX#any` stands for a hook of fX: it pollutes when any
// test of fX runs.
import type { RoundInfo, SearchSpace } from '../../cli/hunt/search.ts'

export interface Fake {
  space: SearchSpace<string>
  files: string[]
  /** Sets per round. */
  sizes: number[]
  calls: string[][]
  /** The polluting sets in the order the search reported them, with the number of runs made by then. */
  found: { set: string[]; afterRuns: number }[]
}

export interface FakeOptions {
  testsPerFile?: number
  workers?: number
  /** Replaces the oracle (e.g. a flaky victim); gets the set and the run's number, from 1. */
  oracle?: (set: readonly string[], run: number) => boolean
}

export function fakeSuite(fileCount: number, polluters: string[][], options: FakeOptions = {}): Fake {
  const testsPerFile = options.testsPerFile ?? 0
  const files = Array.from({ length: fileCount }, (_, i) => `f${i}`)
  const tests = (file: string): string[] => Array.from({ length: testsPerFile }, (_, i) => `${file}#t${i}`)
  const calls: string[][] = []
  const sizes: number[] = []
  const found: Fake['found'] = []
  const ran = (set: readonly string[], unit: string): boolean => {
    const [file, part] = unit.split('#')
    if (set.includes(unit) || set.includes(file)) return true
    const anyTest = set.some((u) => u.startsWith(`${file}#t`) || u === `${file}#all`)
    if (part === 'any') return anyTest
    if (part?.startsWith('t') && set.includes(`${file}#all`)) return true
    // any test of a file, or its scope, runs the file's module scope
    return part === 'scope' && set.some((u) => u.startsWith(`${file}#`))
  }
  const space: SearchSpace<string> = {
    workers: options.workers ?? 1,
    key: (unit) => unit,
    runSet: async (set) => {
      calls.push([...set])
      if (options.oracle) return options.oracle(set, calls.length)
      return polluters.some((p) => p.every((unit) => ran(set, unit)))
    },
    split: (unit) => (unit.includes('#') || testsPerFile === 0 ? null : { scope: `${unit}#scope`, parts: tests(unit) }),
    members: (unit) => (unit.endsWith('#all') ? tests(unit.split('#')[0]) : [unit]),
    groups: (unit) => {
      const [file, part] = unit.split('#')
      return part === 't0' && testsPerFile > 1 ? [{ group: `${file}#all`, probe: `${file}#t${testsPerFile - 1}` }] : []
    },
    onRound: (info: RoundInfo) => sizes.push(info.sets),
    onFound: (set) => found.push({ set, afterRuns: calls.length }),
  }
  return { space, files, sizes, calls, found }
}

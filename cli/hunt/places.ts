// How a polluting unit is named: the place in `--json` (SPEC §7's `{ file, test }`, with `hook` and `suite` for a hook)
// and the words people read in progress lines and the report.
import path from 'node:path'

import type { HookKind } from './protocol.ts'
import type { Unit } from './units.ts'

/**
 * A polluter as `--json` reports it: `file` relative to the root; `test` the full name, or null for the module scope or a
 * group. A group carries `suite` (full name, `outer > inner`; absent for every test of the file) and `hook` when the
 * runtime's journal named the hook; without `hook`, every test of the suite (or file) was seen to pollute.
 */
export interface Polluter {
  file: string
  test: string | null
  hook?: HookKind
  suite?: string
}

/** A polluter with its words for people. */
export interface Named {
  place: Polluter
  label: string
}

/** The place and words of a unit. */
export function nameUnit(unit: Unit, root: string): Named {
  const file = path.relative(root, unit.file).split(path.sep).join('/')
  switch (unit.kind) {
    case 'test':
      return { place: { file, test: unit.test.fullName }, label: `${file} > '${unit.test.fullName}'` }
    case 'scope':
      return { place: { file, test: null }, label: `${file} (module scope)` }
    case 'file':
      return { place: { file, test: null }, label: file }
    case 'group': {
      const suite = unit.suite.join(' > ')
      const place: Polluter = { file, test: null }
      if (unit.hook) place.hook = unit.hook
      if (suite !== '') place.suite = suite
      const tests = `${unit.tests.length} test${unit.tests.length === 1 ? '' : 's'}`
      if (unit.hook) {
        const where = suite === '' ? 'at the top level' : `of '${suite}'`
        return { place, label: `${file} > ${unit.hook} ${where} (${tests})` }
      }
      const which = suite === '' ? 'every test of the file' : `every test of '${suite}'`
      return { place, label: `${file} > ${which} (${tests})` }
    }
  }
}

/** One line for a polluting set: a single polluter, or the members of a set that pollutes only together. */
export function labelSet(set: readonly Named[]): string {
  return set.map((named) => named.label).join(' + ')
}

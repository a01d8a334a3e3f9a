// The replay plan: files in order, and a -t pattern that names one test or one suite per polluter.
import { describe, expect, test } from 'vitest'

import { replayPlan } from '../../cli/hunt/plan.ts'
import type { PlanContext } from '../../cli/hunt/plan.ts'
import type { TestInfo } from '../../cli/hunt/protocol.ts'
import { testNamePattern } from '../../cli/hunt/replay.ts'
import { testUnits } from '../../cli/hunt/units.ts'
import type { GroupUnit, Unit } from '../../cli/hunt/units.ts'

function tests(file: string, ...names: string[][]): TestInfo[] {
  return names.map((n, i) => ({ id: `${file}_${i}`, fullName: n.join(' > '), names: n }))
}

const a = '/p/tests/a.test.ts'
const v = '/p/tests/v.test.ts'
const hooked = Array.from({ length: 60 }, (_, i) => ['hooked', `sets FormData ${i}`])
const byFile = new Map([
  [a, tests(a, ...hooked, ['hookedness', 'other'], ['top'])],
  [v, tests(v, ['victim', 'one'], ['victim', 'two'], ['loose'])],
])
const context: PlanContext = { cwd: '/p', config: null, root: null, victimFile: v, victimTestId: null, testsByFile: byFile }
const aTests = testUnits(a, 0, byFile.get(a)!)
const group = (suite: string[], count: number): GroupUnit => ({
  kind: 'group',
  file: a,
  rank: 0,
  suite,
  hook: 'beforeEach',
  tests: aTests.slice(0, count),
})
const pattern = (set: Unit[], ctx = context): string | null => {
  const plan = replayPlan(set, ctx)
  return plan.tests && testNamePattern(plan.tests)
}

describe('replayPlan', () => {
  test('a suite of 60 tests is one prefix, not 60 names; the victim file is one suite and one name', () => {
    expect(pattern([group(['hooked'], 60)])).toBe('^(?:loose$|hooked |victim )')
  })

  test('a prefix that would also select another suite falls back to the first test of the group', () => {
    // 'hookedness other' does not start with 'hooked ', but a suite named 'hooked' inside the victim file would
    const clash = new Map(byFile).set(v, tests(v, ['hooked', 'victim']))
    expect(pattern([group(['hooked'], 60)], { ...context, testsByFile: clash })).toBe('^(?:hooked sets FormData 0|hooked victim)$')
  })

  test('a module scope, or every test of a file, with a whole victim file: no -t at all', () => {
    expect(pattern([{ kind: 'scope', file: a, rank: 0 }])).toBeNull()
    expect(pattern([group([], 62)])).toBeNull()
    expect(replayPlan([group([], 62)], context).files).toEqual([a, v])
  })

  test('every test of a file with one victim test: the first test and the victim, by name', () => {
    expect(pattern([group([], 62)], { ...context, victimTestId: `${v}_1` })).toBe('^(?:hooked sets FormData 0|victim two)$')
  })

  test('a single test', () => {
    expect(pattern([aTests[60]], { ...context, victimTestId: `${v}_0` })).toBe('^(?:hookedness other|victim one)$')
  })
})

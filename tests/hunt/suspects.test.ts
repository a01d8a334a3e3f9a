// What the hunt reads from the runtime's meta, and how those places become units of the search.
import { describe, expect, test } from 'vitest'

import { Catalog } from '../../cli/hunt/catalog.ts'
import { suspectsOf } from '../../cli/hunt/meta.ts'
import type { TestInfo } from '../../cli/hunt/protocol.ts'
import { suspectUnits } from '../../cli/hunt/suspects.ts'
import { unitKey } from '../../cli/hunt/units.ts'

function tests(file: string, ...names: string[][]): TestInfo[] {
  return names.map((n, i) => ({ id: `${file}_${i}`, fullName: n.join(' > '), names: n }))
}

describe('suspectsOf', () => {
  test("the journal's causes first (in its order), then the findings' origins; each place once", () => {
    const meta = {
      isolation: {
        isolated: true,
        findings: [{ kind: 'global-mutation', origin: { file: 'tests/a.test.ts', test: 'a > sets it', line: 3 } }],
        causes: [
          { state: 'globalThis.x', change: 'added', by: { file: 'tests/b.test.ts', test: null, hook: 'beforeEach', suite: 'b' } },
          { state: 'globalThis.y', change: 'changed', by: { file: '/root/tests/c.test.ts', test: null } },
          { state: 'globalThis.z', change: 'added', by: { file: 'tests/a.test.ts', test: 'a > sets it' } },
        ],
      },
    }
    expect(suspectsOf([meta], '/root')).toEqual([
      { file: 'tests/b.test.ts', test: null, hook: 'beforeEach', suite: 'b', source: 'cause' },
      { file: 'tests/c.test.ts', test: null, source: 'cause' },
      { file: 'tests/a.test.ts', test: 'a > sets it', source: 'cause' },
    ])
  })

  test('a top-level hook has no suite; anything malformed is ignored', () => {
    const meta = {
      isolation: {
        causes: [{ by: { file: 'tests/a.test.ts', test: null, hook: 'beforeAll' } }, { by: { file: 3 } }, null, { by: 'x' }],
        findings: 'not a list',
      },
    }
    expect(suspectsOf([meta, null, { isolation: [] }, {}], '/root')).toEqual([
      { file: 'tests/a.test.ts', test: null, hook: 'beforeAll', source: 'cause' },
    ])
  })
})

describe('suspectUnits', () => {
  const a = '/root/tests/a.test.ts'
  const v = '/root/tests/v.test.ts'
  const byFile = new Map([
    [a, tests(a, ['top'], ['a', 'one'], ['a', 'inner', 'two'], ['a', 'inner', 'three'], ['b', 'four'])],
    [v, tests(v, ['v', 'warms up'], ['v', 'victim'])],
  ])
  const catalog = new Catalog(byFile, new Map([[a, 0], [v, 1]]), { file: v, testId: `${v}_1` })

  test('a test, the tests of a hook, a module scope; the victim file only through its siblings', () => {
    const units = suspectUnits(
      [
        { file: 'tests/a.test.ts', test: null, hook: 'beforeEach', suite: 'a > inner', source: 'cause' },
        { file: 'tests/a.test.ts', test: 'b > four', source: 'cause' },
        { file: 'tests/a.test.ts', test: null, source: 'cause' },
        { file: 'tests/a.test.ts', test: null, hook: 'beforeAll', source: 'cause' },
        { file: 'tests/v.test.ts', test: 'v > warms up', source: 'finding' },
        // the victim's own module scope and hooks run with the victim alone; unknown files and names are no candidates
        { file: 'tests/v.test.ts', test: null, source: 'cause' },
        { file: 'tests/v.test.ts', test: null, hook: 'beforeEach', suite: 'v', source: 'cause' },
        { file: 'tests/other.test.ts', test: 'x', source: 'cause' },
        { file: 'tests/a.test.ts', test: 'a > nope', source: 'cause' },
      ],
      catalog,
      '/root',
    )
    expect(units.map((u) => (u.kind === 'group' ? [u.kind, u.suite, u.hook, u.tests.length] : [u.kind, unitKey(u)]))).toEqual([
      ['group', ['a', 'inner'], 'beforeEach', 2],
      ['test', `${a}\0${a}_4`],
      ['scope', `${a}\0scope`],
      ['group', [], 'beforeAll', 5],
      ['test', `${v}\0${v}_0`],
    ])
  })

  test('groups a polluting test may stand for: while it is the first of each, the last test probes', () => {
    const first = catalog.testsOf(a)[1] // 'a > one'
    expect(catalog.groups(first).map((g) => [g.group.kind === 'group' && g.group.suite, unitKey(g.probe)])).toEqual([
      [['a'], `${a}\0${a}_3`],
    ])
    const top = catalog.testsOf(a)[0] // 'top', the first test of the file
    expect(catalog.groups(top).map((g) => [g.group.kind === 'group' && g.group.suite, unitKey(g.probe)])).toEqual([
      [[], `${a}\0${a}_4`],
    ])
    expect(catalog.groups(catalog.testsOf(a)[3])).toEqual([]) // 'a > inner > three' is not the first of its suite
    // in the victim's file, no group holds the victim
    expect(catalog.groups(catalog.testsOf(v)[0])).toEqual([])
  })
})

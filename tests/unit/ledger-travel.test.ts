import { describe, expect, test } from 'vitest'
import { collectGarbageSoon } from '../../runtime/ledger/index.ts'
import { a, b, c, Client, Machine, observed } from './ledger-fixtures.ts'
import { FILE, harness, moduleOwner, testOwner, type Harness } from './ledger-harness.ts'

/** A module-level `let` of the harness file (`let saved` at line 5), registered as a root as the transform does. */
function savedRoot(h: Harness, file = FILE): { value: unknown } {
  const binding: { value: unknown } = { value: undefined }
  h.ledger.addRoot({ file, name: 'saved', line: 5, get: () => binding.value })
  return binding
}

/** `client.create(obj)` on a new client of `scope` (the test's own instance), inside the scope. */
function createWithOwnClient(h: Harness, scope: typeof a, obj: object): void {
  h.within(scope, () => {
    const client = h.ledger.track(new Client(), { owner: scope, file: scope.file, resource: 'client' })
    void client.create(obj as Machine)
  })
}

const TRAVELED_HINT =
  'Machine default/ms-1 belongs to test "a", which left it in module binding `saved` (tests/a.test.ts:5): create it in the ' +
  'test that uses it (or in beforeEach) instead of passing it on through that variable; freeze it if it is a constant.'

describe('an object that travels through a module variable', () => {
  test('test A passes it to its own client and leaves it in a module `let`; test B passes it to its own: foreign', () => {
    const h = harness()
    const saved = savedRoot(h)
    h.runTest(a, () => {
      const machine = new Machine('ms-1')
      createWithOwnClient(h, a, machine)
      saved.value = machine
    })
    h.runTest(b, () => createWithOwnClient(h, b, saved.value as Machine))
    expect(h.ledger.findings()).toEqual([
      {
        kind: 'foreign-object',
        concurrent: false,
        object: 'Machine default/ms-1',
        origin: { file: FILE, test: 'a', line: 20, column: 3, operation: 'client.create' },
        observedIn: [observed(b, 'client.create')],
        hint: TRAVELED_HINT,
      },
    ])
    // Once per object and observing test; a third test is a finding of its own, a retry of the first none.
    h.runTest(b, () => createWithOwnClient(h, b, saved.value as Machine))
    h.runTest(c, () => createWithOwnClient(h, c, saved.value as Machine))
    h.runTest(a, () => createWithOwnClient(h, a, saved.value as Machine))
    expect(h.ledger.findings().map((f) => f.observedIn[0].test)).toEqual(['b', 'c'])
  })

  test('kept before it is passed, three levels down (`fixtures.list[0]`), or inside what B passes: still A’s', () => {
    const h = harness()
    const saved = savedRoot(h)
    const fixtures = { list: [] as object[] }
    h.ledger.addRoot({ file: FILE, name: 'fixtures', line: 6, get: () => fixtures })
    h.runTest(a, () => {
      saved.value = new Machine('ms-1')
      createWithOwnClient(h, a, saved.value as Machine)
      const deep = new Machine('ms-2')
      fixtures.list.push(deep)
      createWithOwnClient(h, a, deep)
    })
    h.runTest(b, () => {
      createWithOwnClient(h, b, saved.value as Machine)
      createWithOwnClient(h, b, [fixtures.list[0]])
    })
    expect(h.ledger.findings().map((f) => [f.object, f.origin.test, f.observedIn[0].test])).toEqual([
      ['Machine default/ms-1', 'a', 'b'],
      ['Machine default/ms-2', 'a', 'b'],
    ])
    expect(h.ledger.findings()[1].hint).toContain('left it in module binding `fixtures` (tests/a.test.ts:6)')
  })

  test('across files: a helper module’s object both files import carries it from one file’s test to the other’s', () => {
    const h = harness()
    const handover: { machine?: Machine } = {}
    const second = 'tests/b.test.ts'
    h.ledger.addRoot({ file: FILE, name: 'handover', line: 3, get: () => handover })
    const inSecond = testOwner('b', { file: second })
    h.runTest(a, () => {
      handover.machine = new Machine('ms-1')
      createWithOwnClient(h, a, handover.machine)
    })
    h.ledger.fileFinished(FILE)
    // The second file is collected after the first ran (one file at a time in a worker): its roots come now.
    h.ledger.addRoot({ file: second, name: 'handover', line: 3, get: () => handover })
    h.runTest(inSecond, () => createWithOwnClient(h, inSecond, handover.machine!))
    expect(h.ledger.findings().map((f) => [f.origin.file, f.origin.test, f.observedIn[0].file, f.observedIn[0].test])).toEqual([
      [FILE, 'a', second, 'b'],
    ])
  })

  test('tests that overlapped: which of them made it cannot be told, so none is its owner', () => {
    const h = harness()
    const saved = savedRoot(h)
    h.ledger.testStarted(a)
    h.ledger.testStarted(b)
    saved.value = new Machine('ms-1')
    createWithOwnClient(h, a, saved.value as Machine)
    h.ledger.testFinished(a)
    createWithOwnClient(h, b, saved.value as Machine)
    h.ledger.testFinished(b)
    h.runTest(c, () => createWithOwnClient(h, c, saved.value as Machine))
    expect(h.ledger.findings()).toEqual([])
  })

  test('what a test’s own client returns stays the test’s result, also when the test passed it in first', () => {
    const h = harness()
    savedRoot(h)
    let kept: Machine | undefined
    h.runTest(a, () => {
      const client = h.ledger.track(new Client(), { owner: a, file: FILE, resource: 'client' })
      void client.create(new Machine('ms-1'))
      // Not left in a module variable: a closure carries it. The client returns the stored object itself.
      kept = client.get('ms-1')
    })
    h.runTest(b, () => createWithOwnClient(h, b, kept!))
    expect(h.ledger.findings().map((f) => [f.object, f.origin.operation, f.hint])).toEqual([
      ['Machine default/ms-1', 'client.get', expect.stringMatching(/^Machine default\/ms-1 belongs to test "a": create it/)],
    ])
  })
})

describe('no finding', () => {
  test('helper constants passed by many tests, reached through a root or only through a function', () => {
    const h = harness()
    const saved = savedRoot(h)
    const imported = { namespace: 'default', labels: { app: 'x' } }
    const hidden = { namespace: 'default' }
    const options = (): object => hidden
    h.ledger.addRoot({ file: FILE, name: 'imported', line: 2, get: () => imported })
    h.ledger.addRoot({ file: FILE, name: 'options', line: 3, get: () => options })
    for (const scope of [a, b, c]) {
      h.runTest(scope, () => {
        createWithOwnClient(h, scope, imported)
        createWithOwnClient(h, scope, imported.labels)
        createWithOwnClient(h, scope, options())
        // A module `let` that every test points at the same helper constant (known at the first test's start).
        saved.value = imported
        createWithOwnClient(h, scope, saved.value as object)
      })
    }
    expect(h.ledger.findings()).toEqual([])
  })

  test('a frozen object left in a module variable', () => {
    const h = harness()
    const saved = savedRoot(h)
    h.runTest(a, () => {
      saved.value = Object.freeze({ kind: 'Machine', metadata: Object.freeze({ name: 'ms-1' }) })
      createWithOwnClient(h, a, saved.value as object)
    })
    h.runTest(b, () => createWithOwnClient(h, b, saved.value as object))
    expect(h.ledger.findings()).toEqual([])
  })

  test('made at module scope, in beforeAll, or between tests (a nested beforeAll), then passed by several tests', () => {
    const h = harness()
    const saved = savedRoot(h)
    const state: { machine?: Machine } = {}
    h.ledger.addRoot({ file: FILE, name: 'state', line: 6, get: () => state })
    // Module evaluation and the file's beforeAll, before the first test.
    saved.value = new Machine('at-module')
    h.within(moduleOwner(), () => createWithOwnClient(h, moduleOwner(), saved.value as Machine))
    h.runTest(a, () => createWithOwnClient(h, a, saved.value as Machine))
    // A nested describe's beforeAll: module scope, after a test ran, changing a module value in place.
    state.machine = new Machine('in-before-all')
    for (const scope of [b, c]) {
      h.runTest(scope, () => {
        createWithOwnClient(h, scope, saved.value as Machine)
        createWithOwnClient(h, scope, state.machine!)
      })
    }
    expect(h.ledger.findings()).toEqual([])
  })

  test('an object a test left in a module variable but did not pass in: not its own (and the module’s from the next start)', () => {
    const h = harness()
    const saved = savedRoot(h)
    h.runTest(a, () => {
      saved.value = new Machine('ms-1')
      // What it passes is another object: only what a test hands to its own instance can travel as its own.
      createWithOwnClient(h, a, new Machine('ms-2'))
    })
    for (const scope of [b, c]) h.runTest(scope, () => createWithOwnClient(h, scope, saved.value as Machine))
    expect(h.ledger.findings()).toEqual([])
  })

  test('objects each test makes and passes to its own instances, also kept in a module `let` set in beforeEach', () => {
    const h = harness()
    const saved = savedRoot(h)
    for (const scope of [a, b, c]) {
      h.runTest(scope, () => {
        saved.value = new Machine(`ms-${scope.test}`)
        createWithOwnClient(h, scope, saved.value as Machine)
        createWithOwnClient(h, scope, saved.value as Machine)
      })
    }
    expect(h.ledger.findings()).toEqual([])
  })

  test('passed in by A but not left in a module variable (a closure carries it): nobody’s', () => {
    const h = harness()
    savedRoot(h)
    let carried: Machine | undefined
    h.runTest(a, () => {
      carried = new Machine('ms-1')
      createWithOwnClient(h, a, carried)
    })
    for (const scope of [b, c]) h.runTest(scope, () => createWithOwnClient(h, scope, carried!))
    expect(h.ledger.findings()).toEqual([])
  })

  test('handed to a shared instance, or inside what the test passed (an array), then left in a module variable', () => {
    const h = harness()
    const saved = savedRoot(h)
    const shared = h.ledger.track(new Client(), { owner: null, file: FILE, resource: 'client', line: 4 })
    const kept: { machine?: Machine } = {}
    h.ledger.addRoot({ file: FILE, name: 'kept', line: 6, get: () => kept })
    h.runTest(a, () => {
      saved.value = new Machine('ms-1')
      kept.machine = new Machine('ms-2')
      h.within(a, () => void shared.create(saved.value as Machine))
      createWithOwnClient(h, a, [kept.machine])
    })
    for (const scope of [b, c]) {
      h.runTest(scope, () => {
        createWithOwnClient(h, scope, saved.value as Machine)
        createWithOwnClient(h, scope, kept.machine!)
      })
    }
    // The shared client is used by one test only: no shared-instance either.
    expect(h.ledger.findings()).toEqual([])
  })

  test('a marked binding’s value that a test passed in first is still the binding’s (no shared-instance)', () => {
    const h = harness()
    const saved = savedRoot(h)
    h.runTest(a, () => {
      saved.value = new Machine('ms-1')
      createWithOwnClient(h, a, saved.value as Machine)
      h.ledger.own(saved.value as Machine, a, { file: FILE, resource: 'binding:machine', line: 8, column: 1 })
    })
    expect(h.ledger.findings()).toEqual([])
  })

  test('a file without roots (not transformed), and a file whose module values are too many to follow', () => {
    const h = harness()
    let saved: Machine | undefined
    h.runTest(a, () => {
      saved = new Machine('ms-1')
      createWithOwnClient(h, a, saved)
    })
    h.runTest(b, () => createWithOwnClient(h, b, saved!))
    const big = 'tests/big.test.ts'
    const table = Array.from({ length: 40 }, () => Array.from({ length: 60 }, () => ({})))
    const kept: { machine?: Machine } = {}
    h.ledger.addRoot({ file: big, name: 'table', line: 1, get: () => table })
    h.ledger.addRoot({ file: big, name: 'kept', line: 2, get: () => kept })
    const [first, second] = [testOwner('first', { file: big }), testOwner('second', { file: big })]
    h.runTest(first, () => {
      kept.machine = new Machine('ms-2')
      createWithOwnClient(h, first, kept.machine)
    })
    h.runTest(second, () => createWithOwnClient(h, second, kept.machine!))
    expect(h.ledger.findings()).toEqual([])
  })
})

test('the ledger keeps nothing it stamped or walked alive', async () => {
  const h = harness()
  const saved = savedRoot(h)
  const refs: WeakRef<object>[] = []
  const made = (name: string): Machine => {
    const machine = new Machine(name)
    refs.push(new WeakRef(machine))
    return machine
  }
  h.runTest(a, () => {
    saved.value = made('ms-1')
    createWithOwnClient(h, a, saved.value as Machine)
    createWithOwnClient(h, a, made('ms-2'))
  })
  h.runTest(b, () => createWithOwnClient(h, b, saved.value as Machine))
  expect(h.ledger.findings()).toHaveLength(1)
  saved.value = undefined
  h.deepCheck()
  await collectGarbageSoon()
  await collectGarbageSoon()
  expect(refs.filter((ref) => ref.deref() !== undefined)).toHaveLength(0)
})

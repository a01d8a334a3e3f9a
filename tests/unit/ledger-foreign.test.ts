import { describe, expect, test } from 'vitest'
import { a, b, c, Client, Machine, MachineList, observed } from './ledger-fixtures.ts'
import { FILE, harness, moduleOwner } from './ledger-harness.ts'

describe('foreign-object', () => {
  test("via an argument: an object of test A passed into test B's own instance", async () => {
    const h = harness()
    let leaked: Machine | undefined
    await h.within(a, async () => {
      h.ledger.testStarted(a)
      const client = h.ledger.track(new Client(), { owner: a, file: FILE, resource: 'client' })
      await client.create(new Machine('ms-7fq2x'))
      // The harness's `within` is synchronous: after an await the scope is entered again.
      leaked = h.within(a, () => client.get('ms-7fq2x'))
      h.ledger.testFinished(a)
    })
    await h.within(b, async () => {
      h.ledger.testStarted(b)
      const client = h.ledger.track(new Client(), { owner: b, file: FILE, resource: 'client' })
      await client.create(leaked!)
      h.ledger.testFinished(b)
    })
    expect(h.ledger.findings()).toEqual([
      {
        kind: 'foreign-object',
        concurrent: false,
        object: 'Machine default/ms-7fq2x',
        origin: { file: FILE, test: 'a', line: 20, column: 3, operation: 'client.get' },
        observedIn: [observed(b, 'client.create')],
        hint:
          'Machine default/ms-7fq2x belongs to test "a": create it in the test that uses it (or in beforeEach) instead of passing ' +
          'it on through a module-level variable or a shared instance; freeze it if it is a constant.',
      },
    ])
  })

  test('via a result: a shared instance returns to test B what test A got from its own instance and stored in it', async () => {
    const h = harness()
    const shared = h.ledger.track(new Client(), { owner: null, file: FILE, resource: 'client', line: 4 })
    await h.within(a, async () => {
      h.ledger.testStarted(a)
      const own = h.ledger.track(new Client(), { owner: a, file: FILE, resource: 'client' })
      await own.create(new Machine('m1'))
      // The harness's `within` is synchronous: after an await the scope is entered again.
      await h.within(a, () => shared.create(h.within(a, () => own.get('m1'))!))
      h.ledger.testFinished(a)
    })
    h.runTest(b, () => shared.get('m1'))
    expect(h.ledger.findings().map((f) => [f.kind, f.object, f.observedIn[0].test, f.observedIn[0].operation])).toEqual([
      ['shared-instance', 'Client#1', 'a', 'client.create'],
      ['shared-instance', 'Client#1', 'b', 'client.get'],
      ['foreign-object', 'Machine default/m1', 'b', 'client.get'],
    ])
  })

  test('via a promise result', async () => {
    const h = harness()
    const mine = new Machine('m1')
    await h.within(a, async () => {
      h.ledger.testStarted(a)
      const own = h.ledger.track(new Client(), { owner: a, file: FILE, resource: 'client' })
      await own.create(mine)
      expect(await h.within(a, () => own.fetch('m1'))).toBe(mine)
      h.ledger.testFinished(a)
    })
    await h.within(b, async () => {
      h.ledger.testStarted(b)
      const own = h.ledger.track(new Client(), { owner: b, file: FILE, resource: 'client' })
      expect(await own.create(mine)).toBe(mine)
      h.ledger.testFinished(b)
    })
    const foreign = h.ledger.findings().filter((f) => f.kind === 'foreign-object')
    expect(foreign.map((f) => [f.object, f.origin.operation, f.observedIn[0].operation])).toEqual([
      ['Machine default/m1', 'client.fetch', 'client.create'],
    ])
  })

  test("inside a returned list's items (one level into a Kubernetes list)", async () => {
    const h = harness()
    const shared = h.ledger.track(new Client(), { owner: null, file: FILE, resource: 'client' })
    await h.within(a, async () => {
      h.ledger.testStarted(a)
      const own = h.ledger.track(new Client(), { owner: a, file: FILE, resource: 'client' })
      await own.create(new Machine('m1'))
      await h.within(a, () => shared.create(h.within(a, () => own.get('m1'))!))
      h.ledger.testFinished(a)
    })
    h.runTest(b, () => shared.list(new MachineList()))
    const foreign = h.ledger.findings().filter((f) => f.kind === 'foreign-object')
    expect(foreign.map((f) => [f.object, f.observedIn[0].operation])).toEqual([['Machine default/m1', 'client.list']])
  })

  test('inside an array or a plain object argument, and concurrent when both tests run', async () => {
    const h = harness()
    h.ledger.testStarted(a)
    h.ledger.testStarted(b)
    const clientA = h.within(a, () => h.ledger.track(new Client(), { owner: a, file: FILE, resource: 'client' }))
    const clientB = h.within(b, () => h.ledger.track(new Client(), { owner: b, file: FILE, resource: 'client' }))
    // Results of A's own client: what A got back is A's.
    await h.within(a, () => clientA.create(new Machine('m1')))
    await h.within(a, () => clientA.create(new Machine('m2', '')))
    const m1 = h.within(a, () => clientA.get('m1'))
    const m2 = h.within(a, () => clientA.get('m2'))
    h.within(b, () => (clientB as unknown as { get(o: object): unknown }).get([m1]))
    h.within(b, () => (clientB as unknown as { get(o: object): unknown }).get({ machine: m2 }))
    h.ledger.testFinished(a)
    h.ledger.testFinished(b)
    expect(h.ledger.findings().map((f) => [f.object, f.concurrent, f.observedIn[0].operation])).toEqual([
      ['Machine default/m1', true, 'client.get'],
      ['Machine m2', true, 'client.get'],
    ])
  })

  test('arguments are never stamped: a helper module constant passed by every test is no finding', () => {
    const h = harness()
    // `export const key = { namespace: 'default' }` in a helper module: not frozen, not a root of a transformed file.
    const key = { namespace: 'default', labels: { app: 'x' } }
    const shared = h.ledger.track(new Client(), { owner: null, file: FILE, resource: 'client' })
    for (const scope of [a, b, c]) {
      h.runTest(scope, () => {
        const client = h.ledger.track(new Client(), { owner: scope, file: FILE, resource: 'client' })
        client.get(key as unknown as string)
        client.get([key] as unknown as string)
      })
    }
    h.runTest(a, () => shared.get(key as unknown as string))
    expect(h.ledger.findings()).toEqual([])
  })

  test('an argument handed back is still the caller’s: an identity method returning a helper constant is no finding', async () => {
    const h = harness()
    // `export const template = new Machine('template')` in a helper module, which every test creates through its client.
    const template = new Machine('template')
    for (const scope of [a, b, c]) {
      await h.runTest(scope, async () => {
        const client = h.ledger.track(new Client(), { owner: scope, file: FILE, resource: 'client' })
        expect(await client.create(template)).toBe(template)
        client.list(new MachineList())
      })
    }
    expect(h.ledger.findings()).toEqual([])
  })

  test('what a shared instance returns is checked, not stamped: an object test A only passed in is nobody’s', async () => {
    const h = harness()
    const registry = h.ledger.track(new Map<string, unknown>(), { owner: null, file: FILE, resource: 'registry' })
    const passed = new Machine('m1')
    h.runTest(a, () => registry.set('m1', passed))
    // B gets it back from the shared registry: state the registry held before B began, not B's.
    h.runTest(b, () => registry.get('m1'))
    await h.runTest(c, async () => {
      const own = h.ledger.track(new Client(), { owner: c, file: FILE, resource: 'client' })
      await own.create(passed)
    })
    expect(h.ledger.findings().map((f) => [f.kind, f.observedIn[0].test])).toEqual([
      ['shared-instance', 'a'],
      ['shared-instance', 'b'],
    ])
  })

  test('an owned value (a marked binding of test A) reaching test B is foreign; owned again by B it is shared', () => {
    const h = harness()
    let value: object | undefined
    h.runTest(a, () => {
      value = { rows: [] }
      h.ledger.own(value, a, { file: FILE, resource: 'binding:seen', line: 3, column: 1 })
    })
    h.runTest(b, () => {
      const client = h.ledger.track(new Client(), { owner: b, file: FILE, resource: 'client' })
      client.get(value as unknown as string)
      h.ledger.own(value!, b, { file: FILE, resource: 'binding:seen', line: 3, column: 1 })
    })
    expect(h.ledger.findings()).toMatchObject([
      { kind: 'foreign-object', resource: 'binding:seen', object: 'Object#1', origin: { file: FILE, test: 'a', line: 3, column: 1 } },
      { kind: 'shared-instance', resource: 'binding:seen', object: 'Object#1', observedIn: [observed(b, 'seen initializer')] },
    ])
  })

  test('no finding: own objects, frozen objects, functions, primitives, module roots, module-scope crossings', () => {
    const h = harness()
    const constant = Object.freeze({ namespace: 'default' })
    const options = { namespace: 'default', labels: { app: 'x' } }
    const fixtures = { machines: [new Machine('fixture')] }
    h.ledger.addRoot({ file: FILE, name: 'options', line: 1, get: () => options })
    h.ledger.addRoot({ file: FILE, name: 'fixtures', line: 2, get: () => fixtures })
    const registry = h.ledger.track(new Map<string, unknown>(), { owner: null, file: FILE, resource: 'registry' })
    const atModule = new Machine('collected')
    h.within(moduleOwner(), () => registry.set('collected', atModule))
    for (const scope of [a, b]) {
      h.runTest(scope, () => {
        const client = h.ledger.track(new Client(), { owner: scope, file: FILE, resource: 'client' })
        const own = new Machine(`own-${scope.test}`)
        void client.create(own)
        client.get(constant as unknown as string)
        client.get(Machine as unknown as string)
        client.get(options as unknown as string)
        void client.create(fixtures.machines[0])
        void client.create(atModule)
        void client.create(own)
      })
    }
    expect(h.ledger.findings()).toEqual([])
  })

  test("a library constant returned by each test's own instance belongs to no test", () => {
    const h = harness()
    const defaults = { replicas: 1 }
    class Defaulter {
      defaults(): object {
        return defaults
      }
    }
    for (const scope of [a, b, c]) {
      h.runTest(scope, () => {
        const defaulter = h.ledger.track(new Defaulter(), { owner: scope, file: FILE })
        const client = h.ledger.track(new Client(), { owner: scope, file: FILE })
        client.get(defaulter.defaults() as unknown as string)
      })
    }
    expect(h.ledger.findings()).toEqual([])
  })
})

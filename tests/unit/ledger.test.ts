import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test, vi } from 'vitest'
import type { Finding } from '../../runtime/report/types.ts'
import * as ledgerModule from '../../runtime/ledger/index.ts'
import { callSiteIn, stackCallSite } from '../../runtime/ledger/index.ts'
import { FILE, harness, moduleScope, testScope } from './ledger-harness.ts'

// A registry with private state, a getter, an iterator and its own toString — what a Scheme looks like.
class Scheme {
  #types = new Map<string, object>()
  addKnownType(kind: string, type: object): this {
    this.#types.set(kind, type)
    return this
  }
  typeOf(kind: string): object | undefined {
    return this.#types.get(kind)
  }
  get size(): number {
    return this.#types.size
  }
  *[Symbol.iterator](): Generator<string> {
    yield* this.#types.keys()
  }
  toString(): string {
    return `Scheme(${this.#types.size})`
  }
}

class Machine {
  kind = 'Machine'
  metadata: { name: string; namespace?: string }
  constructor(name: string, namespace = 'default') {
    this.metadata = { name, namespace }
  }
}

class MachineList {
  kind = 'MachineList'
  items: Machine[] = []
}

// A fake client: stores what it is given (no copies), like a careless cache would.
class Client {
  #store = new Map<string, Machine>()
  async create(machine: Machine): Promise<Machine> {
    this.#store.set(machine.metadata.name, machine)
    return machine
  }
  get(name: string): Machine | undefined {
    return this.#store.get(name)
  }
  list(list: MachineList): MachineList {
    list.items = [...this.#store.values()]
    return list
  }
}

const a = testScope('a', { line: 20 })
const b = testScope('b', { line: 30 })
const c = testScope('c', { line: 40 })

function observed(scope: { test: string | null; line?: number }, operation: string): Finding['observedIn'][number] {
  return { file: FILE, test: scope.test, line: scope.line, column: 3, operation }
}

describe('shared-instance', () => {
  test('an instance used only by its own test is no finding', () => {
    const h = harness()
    h.runTest(a, () => {
      const scheme = h.ledger.track(new Scheme(), { owner: a, file: FILE, resource: 'scheme', line: 21, column: 5 })
      scheme.addKnownType('Machine', Machine)
      expect(scheme.size).toBe(1)
    })
    expect(h.ledger.findings()).toEqual([])
  })

  test("sequential: a later test uses a finished test's instance", () => {
    const h = harness()
    let leaked: Scheme | undefined
    h.runTest(a, () => {
      leaked = h.ledger.track(new Scheme(), { owner: a, file: FILE, resource: 'scheme', line: 21, column: 5 })
    })
    h.runTest(b, () => leaked!.addKnownType('Machine', Machine))
    expect(h.ledger.findings()).toEqual([
      {
        kind: 'shared-instance',
        concurrent: false,
        resource: 'scheme',
        object: 'Scheme#1',
        origin: { file: FILE, test: 'a', line: 21, column: 5 },
        observedIn: [observed(b, 'scheme.addKnownType')],
        hint: "Do not hand a test's instance to other tests through module-level variables or shared objects: use ctx.scheme in each test.",
      },
    ])
    expect(h.received.map((r) => r.observer.id)).toEqual([b.id])
  })

  test('concurrent: a test uses an instance of a test that is still running', () => {
    const h = harness()
    h.ledger.testStarted(a)
    h.ledger.testStarted(b)
    const scheme = h.within(a, () => h.ledger.track(new Scheme(), { owner: a, file: FILE, resource: 'scheme', line: 21 }))
    h.within(b, () => scheme.typeOf('Machine'))
    h.ledger.testFinished(a)
    h.ledger.testFinished(b)
    expect(h.ledger.findings()).toMatchObject([{ kind: 'shared-instance', concurrent: true, observedIn: [observed(b, 'scheme.typeOf')] }])
  })

  test('a module-scope instance used by one test is no finding; a second test makes it shared, for both', () => {
    const h = harness()
    const scheme = h.ledger.track(new Scheme(), { owner: null, file: FILE, resource: 'scheme', line: 3, column: 16, binding: 'scheme' })
    h.runTest(a, () => scheme.addKnownType('Machine', Machine))
    expect(h.ledger.findings()).toEqual([])
    h.runTest(b, () => scheme.typeOf('Machine'))
    h.runTest(b, () => scheme.typeOf('Machine'))
    const shared = {
      kind: 'shared-instance',
      concurrent: false,
      resource: 'scheme',
      object: 'Scheme#1',
      origin: { file: FILE, test: null, line: 3, column: 16 },
      hint: 'Give each test its own: mark `const scheme` with // @isolate, or use ctx.scheme.',
    }
    expect(h.ledger.findings()).toEqual([
      { ...shared, observedIn: [observed(a, 'scheme.addKnownType')] },
      { ...shared, observedIn: [observed(b, 'scheme.typeOf')] },
    ])
    expect(h.received.map((r) => r.observer.test)).toEqual(['a', 'b'])
  })

  test('a module-scope instance used by two concurrent tests is a concurrent finding (the seed flake)', () => {
    const h = harness()
    const scheme = h.ledger.track(new Scheme(), { owner: null, file: FILE, resource: 'scheme', line: 3, column: 16 })
    h.ledger.testStarted(a)
    h.ledger.testStarted(b)
    h.within(a, () => scheme.addKnownType('Machine', Machine))
    h.within(b, () => scheme.addKnownType('MachineSet', MachineList))
    h.ledger.testFinished(b)
    h.ledger.testFinished(a)
    h.runTest(c, () => scheme.typeOf('Machine'))
    expect(h.ledger.findings().map((f) => [f.observedIn[0].test, f.concurrent])).toEqual([
      ['a', true],
      ['b', true],
      ['c', false],
    ])
    expect(h.ledger.findings()[0].hint).toBe(
      'Give each test its own: mark the top-level binding that holds it with // @isolate, or use ctx.scheme.',
    )
  })

  test('each observing test is reported once, however often it calls', () => {
    const h = harness()
    const scheme = h.ledger.track(new Scheme(), { owner: null, file: FILE })
    for (const scope of [a, b, a, b, c]) h.runTest(scope, () => {
      for (let i = 0; i < 5; i++) scheme.addKnownType(`K${i}`, {})
    })
    expect(h.ledger.findings().map((f) => f.observedIn[0].test)).toEqual(['a', 'b', 'c'])
    // Without a resource name, the operation is named after the class.
    expect(h.ledger.findings()[0].observedIn[0].operation).toBe('scheme.addKnownType')
  })

  test('property reads, writes, `in` and key listing are uses too', () => {
    const cases: [string, (s: Scheme) => unknown, string][] = [
      ['get', (s) => s.size, 'scheme.size'],
      ['set', (s) => ((s as unknown as { extra: number }).extra = 1), 'scheme.extra'],
      ['has', (s) => 'size' in s, 'scheme.size'],
      ['ownKeys', (s) => Object.keys(s), 'scheme.keys'],
    ]
    for (const [, use, operation] of cases) {
      const h = harness()
      let leaked: Scheme | undefined
      h.runTest(a, () => (leaked = h.ledger.track(new Scheme(), { owner: a, file: FILE, resource: 'scheme' })))
      h.runTest(b, () => use(leaked!))
      expect(h.ledger.findings().map((f) => f.observedIn[0].operation)).toEqual([operation])
    }
  })

  test('a factory that hands one cached instance to two tests shares it', () => {
    const h = harness()
    const singleton = new Scheme()
    h.runTest(a, () => h.ledger.track(singleton, { owner: a, file: FILE, resource: 'scheme', line: 2 }))
    h.runTest(b, () => h.ledger.track(singleton, { owner: b, file: FILE, resource: 'scheme', line: 2, operation: 'newScheme()' }))
    expect(h.ledger.findings()).toMatchObject([{ kind: 'shared-instance', observedIn: [observed(b, 'newScheme()')] }])
  })

  test('use at module scope, in beforeAll (no current test) or by the owner is never a finding', () => {
    const h = harness()
    let scheme: Scheme | undefined
    h.runTest(a, () => (scheme = h.ledger.track(new Scheme(), { owner: a, file: FILE })))
    h.within(moduleScope(), () => scheme!.addKnownType('X', {}))
    h.within(undefined, () => scheme!.typeOf('X'))
    h.runTest(a, () => scheme!.typeOf('X'))
    expect(h.ledger.findings()).toEqual([])
  })

  test('passing another test’s instance as an argument uses it', () => {
    const h = harness()
    let leaked: Scheme | undefined
    h.runTest(a, () => (leaked = h.ledger.track(new Scheme(), { owner: a, file: FILE, resource: 'scheme' })))
    h.runTest(b, () => {
      const holder = h.ledger.track(new Map<string, unknown>(), { owner: b, file: FILE, resource: 'registry' })
      holder.set('scheme', leaked)
    })
    expect(h.ledger.findings()).toMatchObject([{ kind: 'shared-instance', object: 'Scheme#1', observedIn: [observed(b, 'registry.set')] }])
  })

  test('the call site in the test file is the observation’s place when the stack has it', () => {
    const stack = [
      'Error',
      '    at Sightings.shared (/repo/runtime/ledger/sightings.ts:90:11)',
      '    at Object.apply (/repo/runtime/ledger/proxy.ts:30:24)',
      '    at /repo/tests/a.test.ts:42:17',
      '    at file:///repo/tests/a.test.ts:50:1',
    ].join('\n')
    expect(callSiteIn(stack, 'tests/a.test.ts')).toEqual({ line: 42, column: 17 })
    expect(callSiteIn('    at run (file:///C:/repo/tests/b.test.ts:7:9)', 'tests/b.test.ts')).toEqual({ line: 7, column: 9 })
    expect(callSiteIn(stack, 'tests/other.test.ts')).toBeUndefined()

    const h = harness({ callSite: (file) => (file === FILE ? { line: 33, column: 9 } : undefined) })
    let leaked: Scheme | undefined
    h.runTest(a, () => (leaked = h.ledger.track(new Scheme(), { owner: a, file: FILE })))
    h.runTest(b, () => leaked!.size)
    expect(h.ledger.findings()[0].observedIn).toEqual([{ file: FILE, test: 'b', line: 33, column: 9, operation: 'scheme.size' }])
  })
})

describe('the barrel', () => {
  test('names every export', () => {
    expect(Object.keys(ledgerModule).sort()).toMatchInlineSnapshot(`
      [
        "Ledger",
        "callSiteIn",
        "collectGarbage",
        "collectGarbageSoon",
        "constructorName",
        "globalChanges",
        "globalLabel",
        "isInternalGlobal",
        "kubeLabel",
        "snapshotGlobals",
        "stackCallSite",
      ]
    `)
  })

  test('stackCallSite finds the original line of the caller in a real Vitest run (source-mapped)', () => {
    const site = stackCallSite('tests/unit/ledger.test.ts') // call-site marker
    const source = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n')
    const line = source.findIndex((text) => text.includes('// call-site' + ' marker')) + 1
    expect(site?.line).toBe(line)
  })
})

describe('the tracking Proxy is transparent', () => {
  test('private fields, getters, iterators, toString, instanceof and Symbol properties work through it', () => {
    const h = harness()
    h.runTest(a, () => {
      const scheme = h.ledger.track(new Scheme(), { owner: a, file: FILE })
      expect(scheme.addKnownType('Machine', Machine)).toBe(scheme.addKnownType('Machine', Machine))
      expect(scheme.size).toBe(1)
      expect([...scheme]).toEqual(['Machine'])
      expect(String(scheme)).toBe('Scheme(1)')
      expect(`${scheme}`).toBe('Scheme(1)')
      expect(scheme instanceof Scheme).toBe(true)
      expect(Object.getPrototypeOf(scheme)).toBe(Scheme.prototype)
      expect(scheme.addKnownType).toBe(scheme.addKnownType)
      expect(scheme.addKnownType.name).toBe('addKnownType')
      expect(scheme.addKnownType.length).toBe(2)
      expect(h.ledger.unwrap(scheme)).not.toBe(scheme)
      expect(h.ledger.unwrap(scheme)).toBeInstanceOf(Scheme)
    })
  })

  test('methods run with `this` = the real object, also when a method returns `this`', () => {
    const h = harness()
    h.runTest(a, () => {
      const scheme = h.ledger.track(new Scheme(), { owner: a, file: FILE })
      const returned = scheme.addKnownType('A', {})
      expect(returned).toBe(h.ledger.unwrap(scheme))
      const { typeOf } = scheme
      expect(() => typeOf('A')).toThrow(TypeError)
      expect(typeOf.call(scheme, 'A')).toEqual({})
    })
  })

  test('setters, JSON, class-valued properties, frozen own methods and async methods', async () => {
    const h = harness()
    class Box {
      #value = 0
      static Inner = class Inner {}
      Inner = Box.Inner
      get value(): number {
        return this.#value
      }
      set value(v: number) {
        this.#value = v
      }
      toJSON(): object {
        return { value: this.#value }
      }
      async double(): Promise<number> {
        await Promise.resolve()
        return this.#value * 2
      }
    }
    const frozen = Object.freeze({ hello: () => 'hi' })
    await h.within(a, async () => {
      const box = h.ledger.track(new Box(), { owner: a, file: FILE })
      box.value = 21
      expect(box.value).toBe(21)
      expect(JSON.stringify(box)).toBe('{"value":21}')
      expect(new box.Inner()).toBeInstanceOf(Box.Inner)
      expect(box.Inner).toBe(Box.Inner)
      await expect(box.double()).resolves.toBe(42)
      const constant = h.ledger.track(frozen, { owner: a, file: FILE })
      expect(constant.hello).toBe(frozen.hello)
    })
  })

  test('errors thrown by methods propagate unchanged', () => {
    const h = harness()
    const boom = new Error('boom')
    const thrower = h.ledger.track({ fail: (): never => { throw boom } }, { owner: null, file: FILE })
    h.runTest(a, () => expect(() => thrower.fail()).toThrow(boom))
  })

  test('vi.spyOn on a tracked instance keeps the spy visible', () => {
    const h = harness()
    h.runTest(a, () => {
      const scheme = h.ledger.track(new Scheme(), { owner: a, file: FILE })
      const spy = vi.spyOn(scheme, 'typeOf')
      scheme.typeOf('x')
      expect(scheme.typeOf).toHaveBeenCalledWith('x')
      expect(spy).toHaveBeenCalledTimes(1)
      spy.mockRestore()
    })
  })
})

describe('foreign-object', () => {
  test("via an argument: an object of test A passed into test B's own instance", async () => {
    const h = harness()
    let leaked: Machine | undefined
    await h.within(a, async () => {
      h.ledger.testStarted(a)
      const client = h.ledger.track(new Client(), { owner: a, file: FILE, resource: 'client' })
      leaked = await client.create(new Machine('ms-7fq2x'))
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
        origin: { file: FILE, test: 'a', line: 20, column: 3, operation: 'client.create' },
        observedIn: [observed(b, 'client.create')],
        hint:
          'Machine default/ms-7fq2x belongs to test "a": create it in the test that uses it (or in beforeEach) instead of passing ' +
          'it on through a module-level variable or a shared instance; freeze it if it is a constant.',
      },
    ])
  })

  test('via a result: a shared instance returns to test B what test A stored in it', () => {
    const h = harness()
    const client = h.ledger.track(new Client(), { owner: null, file: FILE, resource: 'client', line: 4 })
    h.runTest(a, () => void client.create(new Machine('m1')))
    h.runTest(b, () => client.get('m1'))
    expect(h.ledger.findings().map((f) => [f.kind, f.object, f.observedIn[0].test, f.observedIn[0].operation])).toEqual([
      ['shared-instance', 'Client#1', 'a', 'client.create'],
      ['shared-instance', 'Client#1', 'b', 'client.get'],
      ['foreign-object', 'Machine default/m1', 'b', 'client.get'],
    ])
  })

  test('via a promise result', async () => {
    const h = harness()
    const client = h.ledger.track(new Client(), { owner: null, file: FILE, resource: 'client' })
    const mine = new Machine('m1')
    await h.within(a, async () => {
      h.ledger.testStarted(a)
      await client.create(mine)
      h.ledger.testFinished(a)
    })
    await h.within(b, async () => {
      h.ledger.testStarted(b)
      expect(await client.create(mine)).toBe(mine)
      h.ledger.testFinished(b)
    })
    const foreign = h.ledger.findings().filter((f) => f.kind === 'foreign-object')
    expect(foreign.map((f) => [f.object, f.origin.operation, f.observedIn[0].operation])).toEqual([
      ['Machine default/m1', 'client.create', 'client.create'],
    ])
  })

  test("inside a returned list's items (one level into a Kubernetes list)", () => {
    const h = harness()
    const client = h.ledger.track(new Client(), { owner: null, file: FILE, resource: 'client' })
    h.runTest(a, () => void client.create(new Machine('m1')))
    h.runTest(b, () => client.list(new MachineList()))
    const foreign = h.ledger.findings().filter((f) => f.kind === 'foreign-object')
    expect(foreign.map((f) => [f.object, f.observedIn[0].operation])).toEqual([['Machine default/m1', 'client.list']])
  })

  test('inside an array or a plain object argument, and concurrent when both tests run', () => {
    const h = harness()
    const m1 = new Machine('m1')
    const m2 = new Machine('m2', '')
    h.ledger.testStarted(a)
    h.ledger.testStarted(b)
    const clientA = h.within(a, () => h.ledger.track(new Client(), { owner: a, file: FILE, resource: 'client' }))
    const clientB = h.within(b, () => h.ledger.track(new Client(), { owner: b, file: FILE, resource: 'client' }))
    h.within(a, () => void clientA.create(m1))
    h.within(a, () => void clientA.create(m2))
    h.within(b, () => (clientB as unknown as { get(o: object): unknown }).get([m1]))
    h.within(b, () => (clientB as unknown as { get(o: object): unknown }).get({ machine: m2 }))
    h.ledger.testFinished(a)
    h.ledger.testFinished(b)
    expect(h.ledger.findings().map((f) => [f.object, f.concurrent, f.observedIn[0].operation])).toEqual([
      ['Machine default/m1', true, 'client.get'],
      ['Machine m2', true, 'client.get'],
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
    h.within(moduleScope(), () => registry.set('collected', atModule))
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

describe('a clean suite', () => {
  test('many tests with their own instances, module constants and concurrency make zero findings', { timeout: 20_000 }, async () => {
    const h = harness()
    const seen: Machine[] = []
    h.ledger.addRoot({ file: FILE, name: 'seen', line: 3, get: () => seen })
    const constant = Object.freeze({ kind: 'Config', metadata: Object.freeze({ name: 'c' }) })
    for (let i = 0; i < 200; i += 2) {
      const first = testScope(`t${i}`)
      const second = testScope(`t${i + 1}`)
      h.ledger.testStarted(first)
      h.ledger.testStarted(second)
      for (const scope of [first, second]) {
        h.within(scope, () => {
          const scheme = h.ledger.track(new Scheme(), { owner: scope, file: FILE, resource: 'scheme' })
          const client = h.ledger.track(new Client(), { owner: scope, file: FILE, resource: 'client' })
          scheme.addKnownType('Machine', Machine)
          const machine = new Machine(`m${i}`)
          void client.create(machine)
          client.list(new MachineList())
          client.get(constant as unknown as string)
          seen.push(machine)
          seen.length = 0
        })
      }
      h.ledger.testFinished(second)
      h.ledger.testFinished(first)
      if (i % 20 === 0) expect(await h.ledger.checkRetention()).toEqual([])
    }
    expect(await h.ledger.checkRetention()).toEqual([])
    h.ledger.fileFinished(FILE)
    expect(h.ledger.findings()).toEqual([])
    // Nothing per test is left: only the module scope of the file.
    expect(h.ledger.stats()).toEqual({ scopes: 1, pendingTests: 0, roots: 1, findings: 0 })
    h.deepCheck()
  })
})

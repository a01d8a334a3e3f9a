import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import * as ledgerModule from '../../runtime/ledger/index.ts'
import { callSiteIn, stackCallSite } from '../../runtime/ledger/index.ts'
import { a, b, c, Client, Machine, MachineList, observed, Registry, Scheme } from './ledger-fixtures.ts'
import { FILE, harness, moduleOwner, testOwner } from './ledger-harness.ts'

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
    const scheme = h.ledger.track(new Scheme(), { owner: null, file: FILE, resource: 'scheme', line: 3, column: 16 })
    h.ledger.addRoot({ file: FILE, name: 'scheme', line: 3, get: () => scheme })
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
    // Made at the test file's top level: the declaration to mark is named by its line when its binding is not known.
    expect(h.ledger.findings()[0].hint).toBe(
      'Give each test its own: mark the top-level declaration at tests/a.test.ts:3 with // @isolate, or use ctx.scheme.',
    )
  })

  test("a helper module's instance: marking is not the fix to suggest", () => {
    const h = harness({ markable: (file) => file === FILE })
    const scheme = h.ledger.track(new Scheme(), { owner: null, file: 'tests/helpers.ts', resource: 'scheme', line: 5, column: 16 })
    h.runTest(a, () => scheme.typeOf('x'))
    h.runTest(b, () => scheme.typeOf('x'))
    expect(h.ledger.findings()[0].hint).toBe(
      'Give each test its own: use ctx.scheme (or create it in beforeEach) instead of one module-level instance.',
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

  test('calls are uses: prototype methods, own function properties, also called without a receiver', () => {
    const plain = (): { put: (v: unknown) => void } => ({ put: () => undefined })
    const cases: [string, () => object, (o: never) => unknown, string][] = [
      ['prototype method', () => new Scheme(), (s: Scheme) => s.typeOf('x'), 'scheme.typeOf'],
      ['own function property', plain, (o: { put: (v: unknown) => void }) => o.put(1), 'object.put'],
      ['destructured own function', plain, ({ put }: { put: (v: unknown) => void }) => put(1), 'object.put'],
      ['Map method', () => new Map(), (m: Map<string, number>) => m.set('k', 1), 'map.set'],
      ['getter', () => new Scheme(), (s: Scheme) => s.size, 'scheme.size'],
    ]
    for (const [, make, use, operation] of cases) {
      const h = harness()
      let leaked: object | undefined
      h.runTest(a, () => (leaked = h.ledger.track(make(), { owner: a, file: FILE })))
      h.runTest(b, () => use(leaked as never))
      expect(h.ledger.findings().map((f) => f.observedIn[0].operation)).toEqual([operation])
    }
  })

  test('data field reads and array methods are not observed (documented limits)', () => {
    const h = harness()
    let scheme: Scheme | undefined
    let list: unknown[] | undefined
    h.runTest(a, () => {
      scheme = h.ledger.track(new Scheme(), { owner: a, file: FILE })
      list = h.ledger.track([], { owner: a, file: FILE })
    })
    h.runTest(b, () => [(scheme as unknown as { extra?: number }).extra, Object.keys(scheme!), list!.push(1)])
    expect(h.ledger.findings()).toEqual([])
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
    h.within(moduleOwner(), () => scheme!.addKnownType('X', {}))
    h.within(undefined, () => scheme!.typeOf('X'))
    h.runTest(a, () => scheme!.typeOf('X'))
    expect(h.ledger.findings()).toEqual([])
  })

  test('passing another test’s instance as an argument uses it', () => {
    const h = harness()
    let leaked: Scheme | undefined
    h.runTest(a, () => (leaked = h.ledger.track(new Scheme(), { owner: a, file: FILE, resource: 'scheme' })))
    h.runTest(b, () => {
      const holder = h.ledger.track(new Registry(), { owner: b, file: FILE, resource: 'registry' })
      holder.put('scheme', leaked)
    })
    expect(h.ledger.findings()).toMatchObject([{ kind: 'shared-instance', object: 'Scheme#1', observedIn: [observed(b, 'registry.put')] }])
  })

  test('the call site in the test file is the observation’s place when the stack has it', () => {
    const stack = [
      'Error',
      '    at Sightings.shared (/repo/runtime/ledger/sightings.ts:90:11)',
      '    at Object.typeOf (/repo/runtime/ledger/observe.ts:30:24)',
      '    at /repo/tests/a.test.ts:42:17',
      '    at file:///repo/tests/a.test.ts:50:1',
    ].join('\n')
    expect(callSiteIn(stack, 'tests/a.test.ts')).toEqual({ line: 42, column: 17 })
    expect(callSiteIn('    at run (file:///C:/repo/tests/b.test.ts:7:9)', 'tests/b.test.ts')).toEqual({ line: 7, column: 9 })
    expect(callSiteIn(stack, 'tests/other.test.ts')).toBeUndefined()

    const h = harness({ callSite: (file) => (file === FILE ? { line: 33, column: 9 } : undefined) })
    let leaked: Scheme | undefined
    h.runTest(a, () => (leaked = h.ledger.track(new Scheme(), { owner: a, file: FILE })))
    h.runTest(b, () => leaked!.typeOf('x'))
    expect(h.ledger.findings()[0].observedIn).toEqual([{ file: FILE, test: 'b', line: 33, column: 9, operation: 'scheme.typeOf' }])
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
        "globalLabel",
        "isInternalGlobal",
        "kubeLabel",
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

describe('a clean suite', () => {
  test('many tests with their own instances, module constants and concurrency make zero findings', { timeout: 20_000 }, async () => {
    const h = harness()
    const seen: Machine[] = []
    h.ledger.addRoot({ file: FILE, name: 'seen', line: 3, get: () => seen })
    const constant = Object.freeze({ kind: 'Config', metadata: Object.freeze({ name: 'c' }) })
    for (let i = 0; i < 200; i += 2) {
      const first = testOwner(`t${i}`)
      const second = testOwner(`t${i + 1}`)
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

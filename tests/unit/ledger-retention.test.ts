import { afterEach, describe, expect, test, vi } from 'vitest'
import { collectGarbage, lastFullCollection } from '../../runtime/ledger/gc.ts'
import { FILE, harness, testOwner, type Harness } from './ledger-harness.ts'

class Machine {
  kind = 'Machine'
  metadata: { name: string; namespace: string }
  constructor(name: string) {
    this.metadata = { name, namespace: 'default' }
  }
}

// Stamps what it returns with the current test, like any tracked resource.
class Client {
  #store = new Map<string, object>()
  make(name: string): Machine {
    return new Machine(name)
  }
  keep(obj: object): void {
    this.#store.set(String(this.#store.size), obj)
  }
}

const a = testOwner('a', { line: 20 })
const b = testOwner('b', { line: 30 })
const c = testOwner('c', { line: 40 })

/** Test `scope` gets a Machine from its own client (so the test owns it) and hands it to `keep`. */
function leakFrom(h: Harness, scope: typeof a, name: string, keep: (machine: Machine) => void): void {
  h.runTest(scope, () => {
    const client = h.ledger.track(new Client(), { owner: scope, file: FILE, resource: 'client', line: scope.line! + 1 })
    keep(client.make(name))
  })
}

/** Runs an empty test: the tests before it become checkable. */
function later(h: Harness, scope = c): void {
  h.runTest(scope, () => undefined)
}

const retained = (object: string, retainedBy: string | null, hint: string): object => ({
  kind: 'retained',
  object,
  origin: { file: FILE, test: 'a', line: 20, column: 3, operation: 'client.make' },
  observedIn: [],
  retainedBy,
  hint,
})

describe('retained', () => {
  const globals = globalThis as Record<string, unknown>
  afterEach(() => {
    delete globals.machineCache
  })

  test('via a module-level array', async () => {
    const h = harness()
    const seen: Machine[] = []
    h.ledger.addRoot({ file: FILE, name: 'seen', line: 3, get: () => seen })
    leakFrom(h, a, 'ms-1', (m) => seen.push(m))
    later(h)
    expect(await h.ledger.checkRetention()).toEqual([
      retained(
        'Machine default/ms-1',
        'module binding `seen` (tests/a.test.ts:3) → Array[0]',
        'Empty `seen` after each test (`seen.length = 0` in afterEach), or make it per-test with // @isolate.',
      ),
    ])
    expect(h.received.map((r) => r.observer.test)).toEqual(['a'])
  })

  test('via a module-level Map and Set', async () => {
    const h = harness()
    const cache = new Map<string, Machine>()
    const set = new Set<Machine>()
    h.ledger.addRoot({ file: FILE, name: 'cache', line: 4, get: () => cache })
    h.ledger.addRoot({ file: FILE, name: 'set', line: 5, get: () => set })
    leakFrom(h, a, 'in-map', (m) => cache.set('k', m))
    leakFrom(h, b, 'in-set', (m) => set.add(m))
    later(h)
    const found = await h.ledger.checkRetention()
    expect(found.map((f) => [f.object, f.origin.test, f.retainedBy, f.hint])).toEqual([
      [
        'Machine default/in-map',
        'a',
        'module binding `cache` (tests/a.test.ts:4) → Map value "k"',
        'Clear `cache` after each test (`cache.clear()` in afterEach), or make it per-test with // @isolate.',
      ],
      [
        'Machine default/in-set',
        'b',
        'module binding `set` (tests/a.test.ts:5) → Set element #0',
        'Clear `set` after each test (`set.clear()` in afterEach), or make it per-test with // @isolate.',
      ],
    ])
  })

  test('via a closure', async () => {
    const h = harness()
    const makeStore = (): { add(x: object): void } => {
      const items: object[] = []
      return { add: (x) => void items.push(x) }
    }
    const store = makeStore()
    h.ledger.addRoot({ file: FILE, name: 'store', line: 6, get: () => store })
    leakFrom(h, a, 'closed-over', (m) => store.add(m))
    later(h)
    expect(await h.ledger.checkRetention()).toEqual([
      retained(
        'Machine default/closed-over',
        'module binding `store` (tests/a.test.ts:6) → .add → closure `items` → Array[0]',
        "Release the test's objects from the closure reached through `store` in afterEach, or make it per-test with // @isolate.",
      ),
    ])
  })

  test('via a private field of a module-level instance', async () => {
    const h = harness()
    class Registry {
      #entries: object[] = []
      register(x: object): void {
        this.#entries.push(x)
      }
    }
    const registry = new Registry()
    h.ledger.addRoot({ file: FILE, name: 'registry', line: 7, get: () => registry })
    leakFrom(h, a, 'private', (m) => registry.register(m))
    later(h)
    const [finding] = await h.ledger.checkRetention()
    expect(finding.retainedBy).toBe('module binding `registry` (tests/a.test.ts:7) → #entries → Array[0]')
  })

  test("via a module-level vi.fn()'s call record", async () => {
    const h = harness()
    const onEvent = vi.fn()
    h.ledger.addRoot({ file: FILE, name: 'onEvent', line: 9, get: () => onEvent })
    leakFrom(h, a, 'called-with', (m) => onEvent(m))
    later(h)
    const [finding] = await h.ledger.checkRetention()
    expect([finding.retainedBy, finding.hint]).toEqual([
      'module binding `onEvent` (tests/a.test.ts:9) → .mock → .calls → Array[0] → Array[0]',
      "Clear the mock's record after each test (`onEvent.mockClear()` in afterEach, or `clearMocks: true` in the Vitest config).",
    ])
    onEvent.mockClear()
  })

  test('via globalThis', async () => {
    const h = harness()
    leakFrom(h, a, 'global', (m) => (globals.machineCache = new Map([['k', m]])))
    later(h)
    expect(await h.ledger.checkRetention()).toEqual([
      retained(
        'Machine default/global',
        'globalThis.machineCache → Map value "k"',
        'Clear `globalThis.machineCache` after each test (`globalThis.machineCache.clear()` in afterEach).',
      ),
    ])
  })

  test('a tracked instance kept by a module-level array names its resource', async () => {
    const h = harness()
    const clients: object[] = []
    h.ledger.addRoot({ file: FILE, name: 'clients', line: 8, get: () => clients })
    h.runTest(a, () => {
      clients.push(h.ledger.track(new Client(), { owner: a, file: FILE, resource: 'client', line: 21, column: 9 }))
    })
    later(h)
    expect(await h.ledger.checkRetention()).toEqual([
      {
        kind: 'retained',
        resource: 'client',
        object: 'Client#1',
        origin: { file: FILE, test: 'a', line: 21, column: 9 },
        observedIn: [],
        retainedBy: 'module binding `clients` (tests/a.test.ts:8) → Array[0]',
        hint: 'Empty `clients` after each test (`clients.length = 0` in afterEach), or make it per-test with // @isolate.',
      },
    ])
  })

  test('each retained object is reported once, at the first check that finds it', async () => {
    const h = harness()
    const seen: Machine[] = []
    h.ledger.addRoot({ file: FILE, name: 'seen', line: 3, get: () => seen })
    leakFrom(h, a, 'once', (m) => seen.push(m))
    later(h, b)
    expect(await h.ledger.checkRetention()).toHaveLength(1)
    later(h, c)
    expect(await h.ledger.checkRetention()).toEqual([])
    expect(h.ledger.findings()).toHaveLength(1)
  })
})

describe('not retained', () => {
  test('once the holder is cleared in the test (afterEach)', async () => {
    const h = harness()
    const seen: Machine[] = []
    const cache = new Map<string, Machine>()
    h.ledger.addRoot({ file: FILE, name: 'seen', line: 3, get: () => seen })
    h.ledger.addRoot({ file: FILE, name: 'cache', line: 4, get: () => cache })
    leakFrom(h, a, 'cleared', (m) => {
      seen.push(m)
      cache.set('k', m)
      seen.length = 0
      cache.clear()
    })
    later(h)
    expect(await h.ledger.checkRetention()).toEqual([])
  })

  test('`let x; beforeEach(() => { x = … })`: the next test replaces it, and the last test of a file is not checked', async () => {
    const h = harness()
    let current: Machine | undefined
    h.ledger.addRoot({ file: FILE, name: 'current', line: 3, get: () => current })
    for (const scope of [a, b, c]) leakFrom(h, scope, `m-${scope.test}`, (m) => (current = m))
    expect(await h.ledger.checkRetention()).toEqual([])
    expect(h.ledger.stats().pendingTests).toBe(1)
    h.ledger.fileFinished(FILE)
    expect(h.ledger.stats().pendingTests).toBe(0)
    expect(current?.metadata.name).toBe('m-c')
  })

  test('a test that ran alongside is not "later": its beforeEach may have run before the owner set the binding', async () => {
    const h = harness()
    let current: Machine | undefined
    h.ledger.addRoot({ file: FILE, name: 'current', line: 3, get: () => current })
    h.ledger.testStarted(b)
    h.ledger.testStarted(a)
    h.within(b, () => (current = h.ledger.track(new Client(), { owner: b, file: FILE }).make('m-b')))
    h.within(a, () => (current = h.ledger.track(new Client(), { owner: a, file: FILE }).make('m-a')))
    h.ledger.testFinished(a)
    h.ledger.testFinished(b)
    expect(await h.ledger.checkRetention()).toEqual([])
    expect(current?.metadata.name).toBe('m-a')
  })

  test('while the owner still runs, or while no later test has finished', async () => {
    const h = harness()
    const seen: Machine[] = []
    h.ledger.addRoot({ file: FILE, name: 'seen', line: 3, get: () => seen })
    h.ledger.testStarted(a)
    h.within(a, () => {
      const client = h.ledger.track(new Client(), { owner: a, file: FILE })
      seen.push(client.make('running'))
    })
    // b runs during a: a is not finished when b finishes, and b started before a finished.
    later(h, b)
    expect(await h.ledger.checkRetention()).toEqual([])
    h.ledger.testFinished(a)
    expect(await h.ledger.checkRetention()).toEqual([])
    later(h, c)
    expect(await h.ledger.checkRetention()).toHaveLength(1)
  })

  test('without a path from a root only with retainedWithoutPath (the default keeps zero false positives)', async () => {
    const hidden: Machine[] = []
    for (const retainedWithoutPath of [false, true]) {
      const h = harness({ retainedWithoutPath })
      leakFrom(h, a, `hidden-${retainedWithoutPath}`, (m) => hidden.push(m))
      later(h)
      const found = (await h.ledger.checkRetention()).map((f) => [f.object, f.retainedBy, f.hint])
      if (!retainedWithoutPath) expect(found).toEqual([])
      // Best effort by nature: whatever else one forced GC happens to leave alive would be listed too.
      else expect(found).toContainEqual(['Machine default/hidden-true', null, 'Release it when the test ends: clear the caches, timers and listeners that hold it in afterEach.'])
    }
    expect(hidden).toHaveLength(2)
  })

  test('with retention off nothing is kept per test', async () => {
    const h = harness({ retention: false })
    const seen: Machine[] = []
    h.ledger.addRoot({ file: FILE, name: 'seen', line: 3, get: () => seen })
    leakFrom(h, a, 'off', (m) => seen.push(m))
    later(h)
    expect(await h.ledger.checkRetention()).toEqual([])
    expect(h.ledger.stats().pendingTests).toBe(0)
  })

  test('released scopes are not checked', async () => {
    const h = harness()
    const seen: Machine[] = []
    h.ledger.addRoot({ file: FILE, name: 'seen', line: 3, get: () => seen })
    leakFrom(h, a, 'released', (m) => seen.push(m))
    h.ledger.release(a)
    later(h)
    expect(await h.ledger.checkRetention()).toEqual([])
  })
})

describe('the ledger keeps nothing alive', () => {
  test('tracked instances, owned values and stamped objects of finished tests are collected', async () => {
    const h = harness()
    await h.expectCollected(() => {
      for (const scope of [a, b]) {
        h.runTest(scope, () => {
          const client = h.ledger.track(new Client(), { owner: scope, file: FILE, resource: 'client' })
          const owned = { rows: [new Machine('owned')] }
          h.ledger.own(owned, scope, { file: FILE, resource: 'binding:rows' })
          client.keep(client.make(`m-${scope.test}`))
          client.keep(owned)
        })
      }
    })
    h.deepCheck()
  })

  test('a module-scope instance used by many tests is collected once dropped', async () => {
    const h = harness()
    await h.expectCollected(() => {
      const shared = h.ledger.track(new Client(), { owner: null, file: FILE, resource: 'client' })
      for (const scope of [a, b, c]) h.runTest(scope, () => shared.keep(shared.make(`m-${scope.test}`)))
    })
    expect(h.ledger.findings()).toHaveLength(3)
    h.deepCheck()
  })
})

describe('checks that force no collection', () => {
  /** Waits until the observer of gc entries has seen a full collection that started after `after`. */
  async function fullCollectionAfter(after: number): Promise<void> {
    collectGarbage()
    for (let i = 0; i < 100 && lastFullCollection() <= after; i++) await new Promise((resolve) => setTimeout(resolve, 5))
    expect(lastFullCollection()).toBeGreaterThan(after)
  }

  test('leave tests that became checkable after the last full collection to a later check', async () => {
    const h = harness()
    const seen: Machine[] = []
    h.ledger.addRoot({ file: FILE, name: 'seen', line: 3, get: () => seen })
    leakFrom(h, a, 'ms-1', (m) => seen.push(m))
    later(h)
    // However recent the last full collection is, it started before `a` became checkable.
    expect(await h.ledger.checkRetention({ collect: false })).toEqual([])
    // Not dropped: the next check (here a forced one) still reports it.
    expect(await h.ledger.checkRetention()).toHaveLength(1)
  })

  test('check what V8 has collected since, and report what survived it', async () => {
    const h = harness()
    const seen: Machine[] = []
    h.ledger.addRoot({ file: FILE, name: 'seen', line: 3, get: () => seen })
    leakFrom(h, a, 'ms-1', (m) => seen.push(m))
    leakFrom(h, b, 'ms-2', () => undefined)
    later(h)
    await fullCollectionAfter(performance.now())
    const found = await h.ledger.checkRetention({ collect: false })
    expect(found.map((f) => [f.object, f.retainedBy])).toEqual([['Machine default/ms-1', 'module binding `seen` (tests/a.test.ts:3) → Array[0]']])
    // Both tests were checked: nothing is left for the next check.
    expect(await h.ledger.checkRetention()).toEqual([])
  })
})

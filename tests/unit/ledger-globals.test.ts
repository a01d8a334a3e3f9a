import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { globalChanges, snapshotGlobals, type GlobalsSnapshot } from '../../runtime/ledger/index.ts'
import { FILE, harness, testOwner } from './ledger-harness.ts'

const globals = globalThis as Record<PropertyKey, unknown>

/** Runs `body` as isolated test `scope` between a globals snapshot and its check; returns the check's findings. */
function isolated(h: ReturnType<typeof harness>, name: string, body: () => void, options: { isolated?: boolean } = {}) {
  const scope = testOwner(name, { isolated: options.isolated ?? true, line: 12 })
  h.ledger.testStarted(scope)
  const token = h.ledger.snapshotGlobals(scope)
  h.within(scope, body)
  const found = h.ledger.checkGlobals(scope, token)
  h.ledger.testFinished(scope)
  return found
}

describe('global-mutation', () => {
  afterEach(() => {
    for (const key of ['__flag', '__changed', '__deleted', 'LazyThing']) delete globals[key]
    for (const key of ['VI_ISO_ADDED', 'VI_ISO_CHANGED', 'VI_ISO_DELETED']) delete process.env[key]
  })

  test('added, changed and deleted globalThis properties, one finding each', () => {
    const h = harness()
    globals.__changed = 1
    globals.__deleted = 2
    const found = isolated(h, 'mutates', () => {
      globals.__flag = true
      globals.__changed = 3
      delete globals.__deleted
    })
    const origin = { file: FILE, test: 'mutates', line: 12, column: 3 }
    expect(found).toEqual([
      {
        kind: 'global-mutation',
        object: 'globalThis.__changed',
        origin,
        observedIn: [],
        hint: 'The test changed globalThis.__changed and did not undo it: restore the original globalThis.__changed in afterEach, or use vi.stubGlobal with unstubGlobals: true.',
      },
      {
        kind: 'global-mutation',
        object: 'globalThis.__flag',
        origin,
        observedIn: [],
        hint: 'The test added globalThis.__flag and did not undo it: delete globalThis.__flag in afterEach, or use vi.stubGlobal with unstubGlobals: true.',
      },
      {
        kind: 'global-mutation',
        object: 'globalThis.__deleted',
        origin,
        observedIn: [],
        hint: 'The test deleted globalThis.__deleted and did not undo it: restore the original globalThis.__deleted in afterEach, or use vi.stubGlobal with unstubGlobals: true.',
      },
    ])
    expect(h.received.map((r) => r.observer.test)).toEqual(['mutates', 'mutates', 'mutates'])
  })

  test('added, changed and deleted process.env entries', () => {
    const h = harness()
    process.env.VI_ISO_CHANGED = 'before'
    process.env.VI_ISO_DELETED = 'x'
    const found = isolated(h, 'env', () => {
      process.env.VI_ISO_ADDED = '1'
      process.env.VI_ISO_CHANGED = 'after'
      delete process.env.VI_ISO_DELETED
    })
    expect(found.map((f) => f.object)).toEqual(['process.env.VI_ISO_CHANGED', 'process.env.VI_ISO_ADDED', 'process.env.VI_ISO_DELETED'])
    expect(found[1].hint).toBe(
      'The test added process.env.VI_ISO_ADDED and did not undo it: delete process.env.VI_ISO_ADDED in afterEach, or use vi.stubEnv with unstubEnvs: true.',
    )
  })

  test('a symbol-keyed global is named by its symbol', () => {
    const h = harness()
    const key = Symbol('app.cache')
    const found = isolated(h, 'symbol', () => (globals[key] = new Map()))
    delete globals[key]
    expect(found.map((f) => f.object)).toEqual(['globalThis[Symbol(app.cache)]'])
  })

  test('restored by the end of the test: no finding', () => {
    const h = harness()
    globals.__changed = 1
    process.env.VI_ISO_CHANGED = 'before'
    const found = isolated(h, 'restores', () => {
      globals.__flag = 1
      delete globals.__flag
      globals.__changed = 2
      globals.__changed = 1
      process.env.VI_ISO_ADDED = 'x'
      delete process.env.VI_ISO_ADDED
      process.env.VI_ISO_CHANGED = 'after'
      process.env.VI_ISO_CHANGED = 'before'
    })
    expect(found).toEqual([])
  })

  test('tests that are not isolated are not checked', () => {
    const h = harness()
    expect(isolated(h, 'plain', () => (globals.__flag = 1), { isolated: false })).toEqual([])
  })

  test('no finding when another test ran at the same time (the change cannot be attributed)', () => {
    const h = harness()
    const other = testOwner('other')
    h.ledger.testStarted(other)
    expect(isolated(h, 'overlapped', () => (globals.__flag = 1))).toEqual([])
    h.ledger.testFinished(other)
    // The next test alone is attributed again.
    expect(isolated(h, 'alone', () => (globals.__changed = 1)).map((f) => f.object)).toEqual(['globalThis.__changed'])
  })

  test("Node's lazy globals turning into data properties, and Vitest's and undici's keys, are not the test's", () => {
    const h = harness()
    class LazyThing {}
    // The shape of Node's lazy web globals: an accessor that defines a data property holding the built-in on first read.
    Object.defineProperty(globalThis, 'LazyThing', {
      configurable: true,
      enumerable: false,
      get() {
        Object.defineProperty(globalThis, 'LazyThing', { value: LazyThing, writable: true, configurable: true })
        return LazyThing
      },
    })
    const found = isolated(h, 'touches internals', () => {
      void globals.LazyThing
      globals.__vitest_scratch__ = 1
      globals[Symbol('undici.globalDispatcher.1')] = {}
    })
    delete globals.__vitest_scratch__
    expect(found).toEqual([])
  })

  test('a test seen through `current` before its start was announced is not left running', () => {
    const h = harness()
    const early = testOwner('early')
    h.within(early, () => h.ledger.track(new Map(), { owner: early, file: FILE }).get('x'))
    h.runTest(early, () => undefined)
    expect(isolated(h, 'after', () => (globals.__flag = 1)).map((f) => f.object)).toEqual(['globalThis.__flag'])
  })

  test('each change is reported once per test, however often it is checked', () => {
    const h = harness()
    const scope = testOwner('twice', { isolated: true })
    h.ledger.testStarted(scope)
    const token = h.ledger.snapshotGlobals(scope)
    globals.__flag = 1
    expect(h.ledger.checkGlobals(scope, token)).toHaveLength(1)
    expect(h.ledger.checkGlobals(scope, token)).toEqual([])
    h.ledger.testFinished(scope)
  })
})

// Calibration: what ordinary, clean tests do to the globals in a real Vitest worker must never show as a change.
describe('calibration: clean tests change no global', () => {
  let before: GlobalsSnapshot
  beforeEach(() => {
    before = snapshotGlobals()
  })
  afterEach(() => {
    expect(globalChanges(before)).toEqual([])
  })

  test('a no-op test', () => {})

  test('expect, soft expect, inline snapshots and asymmetric matchers', () => {
    expect({ a: 1 }).toEqual({ a: expect.any(Number) })
    expect.soft([1, 2]).toHaveLength(2)
    expect({ b: [1] }).toMatchInlineSnapshot(`
      {
        "b": [
          1,
        ],
      }
    `)
  })

  test('vi.fn, vi.spyOn (restored) and mocks', () => {
    const fn = vi.fn((x: number) => x + 1)
    fn(1)
    expect(fn).toHaveBeenCalledWith(1)
    const spy = vi.spyOn(console, 'debug').mockImplementation(() => {})
    console.debug('quiet')
    spy.mockRestore()
  })

  test('fake timers, installed and uninstalled', () => {
    vi.useFakeTimers()
    let fired = false
    setTimeout(() => (fired = true), 1000)
    vi.advanceTimersByTime(1000)
    expect(fired).toBe(true)
    vi.useRealTimers()
  })

  test('vi.stubGlobal and vi.stubEnv, undone', () => {
    vi.stubGlobal('__stubbed', 1)
    vi.stubEnv('VI_ISO_STUBBED', '1')
    vi.unstubAllGlobals()
    vi.unstubAllEnvs()
  })

  test("Node's lazy web globals on first use", async () => {
    void new Blob(['x']).size
    void performance.now()
    void crypto.randomUUID()
    void structuredClone({ a: 1 })
    void new TextEncoder().encode('x')
    void new AbortController().signal
    void new Headers({ a: 'b' })
    void new Request('http://127.0.0.1/')
    void new URL('http://x/').host
    void btoa('x')
    await fetch('http://127.0.0.1:1/').catch(() => undefined)
  })

  test('dynamic imports and timers', async () => {
    await import('node:fs')
    await new Promise((resolve) => setTimeout(resolve, 1))
    await new Promise((resolve) => setImmediate(resolve))
  })
})

/**
 * The journal's view of `globalThis` and `process.env`: what a test adds, changes and deletes (one change each), what it
 * restores (none), and what Node, Vitest, undici and ordinary clean tests do to the globals (never a change).
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { describe as describeChange, Journal, NOBODY, type Actor } from '../../runtime/journal/journal.ts'

const globals = globalThis as Record<PropertyKey, unknown>

function testActor(name: string): Actor {
  return { kind: 'test', id: name, place: { file: 'tests/a.test.ts', test: name, line: 12, column: 3 }, runs: 0 }
}

/** Runs `body` as test `name` in a fresh journal's window; returns what it left changed, as reports show it. */
function isolated(name: string, body: () => void, journal = new Journal()) {
  const actor = testActor(name)
  journal.checkpoint(actor)
  body()
  journal.checkpoint(NOBODY)
  return journal
    .select((d) => d.by === actor)
    .map(describeChange)
    .sort((a, b) => (a.state < b.state ? -1 : 1))
}

describe('global-mutation', () => {
  afterEach(() => {
    for (const key of ['__flag', '__changed', '__deleted', 'LazyThing']) delete globals[key]
    for (const key of ['VI_ISO_ADDED', 'VI_ISO_CHANGED', 'VI_ISO_DELETED']) delete process.env[key]
  })

  test('added, changed and deleted globalThis properties, one change each', () => {
    globals.__changed = 1
    globals.__deleted = 2
    const found = isolated('mutates', () => {
      globals.__flag = true
      globals.__changed = 3
      delete globals.__deleted
    })
    const by = { file: 'tests/a.test.ts', test: 'mutates', line: 12, column: 3 }
    expect(found).toEqual([
      { state: 'globalThis.__changed', change: 'changed', before: '1', after: '3', by, tests: 1 },
      { state: 'globalThis.__deleted', change: 'deleted', before: '2', by, tests: 1 },
      { state: 'globalThis.__flag', change: 'added', after: 'true', by, tests: 1 },
    ])
  })

  test('added, changed and deleted process.env entries', () => {
    process.env.VI_ISO_CHANGED = 'before'
    process.env.VI_ISO_DELETED = 'x'
    const found = isolated('env', () => {
      process.env.VI_ISO_ADDED = '1'
      process.env.VI_ISO_CHANGED = 'after'
      delete process.env.VI_ISO_DELETED
    })
    expect(found.map((f) => `${f.change} ${f.state}`)).toEqual([
      'added process.env.VI_ISO_ADDED',
      'changed process.env.VI_ISO_CHANGED',
      'deleted process.env.VI_ISO_DELETED',
    ])
  })

  test('a symbol-keyed global is named by its symbol', () => {
    const key = Symbol('app.cache')
    const found = isolated('symbol', () => (globals[key] = new Map()))
    delete globals[key]
    expect(found.map((f) => f.state)).toEqual(['globalThis[Symbol(app.cache)]'])
  })

  test('restored by the end of the test: no change', () => {
    globals.__changed = 1
    process.env.VI_ISO_CHANGED = 'before'
    const found = isolated('restores', () => {
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

  test("Node's lazy globals turning into data properties, and Vitest's and undici's keys, are not the test's", () => {
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
    const found = isolated('touches internals', () => {
      void globals.LazyThing
      globals.__vitest_scratch__ = 1
      globals[Symbol('undici.globalDispatcher.1')] = {}
    })
    delete globals.__vitest_scratch__
    expect(found).toEqual([])
  })

  test('a change restored by a later test leaves nothing, and the restorer is not charged', () => {
    const journal = new Journal()
    expect(isolated('leaks', () => (globals.__flag = 1), journal).map((f) => f.state)).toEqual(['globalThis.__flag'])
    expect(isolated('restores', () => delete globals.__flag, journal)).toEqual([])
    expect(journal.select(() => true)).toEqual([])
  })
})

// Calibration: what ordinary, clean tests do to the globals in a real Vitest worker must never show as a change.
describe('calibration: clean tests change no global', () => {
  let journal: Journal
  const actor = testActor('clean')
  beforeEach(() => {
    journal = new Journal()
    journal.checkpoint(actor)
  })
  afterEach(() => {
    journal.checkpoint(NOBODY)
    expect(journal.select((d) => d.by === actor && d.root !== 'module').map(describeChange)).toEqual([])
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

import { EventEmitter } from 'node:events'
import { types } from 'node:util'
import { describe, expect, test, vi } from 'vitest'
import { a, b, Machine, observed, Scheme } from './ledger-fixtures.ts'
import { FILE, harness } from './ledger-harness.ts'

describe('a tracked instance is the object itself', () => {
  test('identity, private fields, brand checks, weak collections, structuredClone, toString and instanceof', () => {
    const registry = new WeakSet<object>()
    class Box {
      static #count = 0
      readonly #id: number
      constructor() {
        this.#id = ++Box.#count
        registry.add(this)
      }
      add(_item: string): this {
        return this
      }
      sameAs(other: Box): boolean {
        return this.#id === other.#id
      }
      static isBox(value: object): boolean {
        return #id in value
      }
    }
    const h = harness()
    h.runTest(a, () => {
      const made = new Box()
      const box = h.ledger.track(made, { owner: a, file: FILE })
      expect(box).toBe(made)
      expect(box.add('x')).toBe(box)
      expect(box.add('x').add('y')).toBe(box)
      expect(box.sameAs(box)).toBe(true)
      expect(Box.isBox(box)).toBe(true)
      expect(registry.has(box)).toBe(true)
      expect(types.isProxy(box)).toBe(false)
      expect(box).toBeInstanceOf(Box)
      const plain = h.ledger.track({ name: 'p', items: [1] }, { owner: a, file: FILE })
      expect(structuredClone(plain)).toEqual({ name: 'p', items: [1] })
      const scheme = h.ledger.track(new Scheme(), { owner: a, file: FILE })
      expect(String(scheme)).toBe('Scheme(0)')
      expect(scheme.addKnownType('Machine', Machine)).toBe(scheme)
    })
  })

  test('two names for one method stay ===, and wrappers keep name, length and source', () => {
    const h = harness()
    h.runTest(a, () => {
      const scheme = h.ledger.track(new Scheme(), { owner: a, file: FILE })
      const other = new Scheme()
      const { typeOf } = scheme
      expect(typeOf).toBe(scheme.typeOf)
      expect(Object.getPrototypeOf(scheme).typeOf).toBe(Scheme.prototype.typeOf)
      expect(other.typeOf).toBe(scheme.typeOf)
      expect(scheme.addKnownType.name).toBe('addKnownType')
      expect(scheme.addKnownType.length).toBe(2)
      expect(scheme.addKnownType.toString()).toContain('this.#types.set(kind, type)')
      expect(h.ledger.track(new Scheme(), { owner: a, file: FILE }).typeOf).toBe(typeOf)
      const own = h.ledger.track({ parse: (x: string) => x.trim() }, { owner: a, file: FILE })
      const { parse } = own
      expect(parse).toBe(own.parse)
      expect(parse(' x ')).toBe('x')
    })
  })

  test('an untracked instance of a wrapped class works as before and reports nothing', () => {
    const h = harness()
    let tracked: Scheme | undefined
    h.runTest(a, () => (tracked = h.ledger.track(new Scheme(), { owner: a, file: FILE })))
    h.runTest(b, () => {
      const mine = new Scheme()
      expect(mine.addKnownType('A', {})).toBe(mine)
      expect(mine.typeOf('A')).toEqual({})
    })
    expect(h.ledger.findings()).toEqual([])
    h.runTest(b, () => tracked!.typeOf('A'))
    expect(h.ledger.findings()).toMatchObject([{ kind: 'shared-instance', observedIn: [observed(b, 'scheme.typeOf')] }])
  })

  test('a promise a method returns is the promise itself, extra members included; what it resolves to is stamped', async () => {
    const h = harness()
    const cached = Object.assign(Promise.resolve(new Machine('m')), { cancel: () => 'cancelled' })
    let machine: Machine | undefined
    await h.within(a, async () => {
      h.ledger.testStarted(a)
      const client = h.ledger.track({ request: () => cached }, { owner: a, file: FILE, resource: 'client' })
      const request = client.request()
      expect(request).toBe(cached)
      expect(request.cancel()).toBe('cancelled')
      machine = await request
      h.ledger.testFinished(a)
    })
    h.runTest(b, () => h.ledger.track({ take: (_m: Machine) => undefined }, { owner: b, file: FILE, resource: 'other' }).take(machine!))
    expect(h.ledger.findings()).toMatchObject([{ kind: 'foreign-object', object: 'Machine default/m' }])
  })

  test('a rejected promise reaches the caller unchanged, and adds no unhandled rejection', async () => {
    const h = harness()
    const boom = new Error('boom')
    const client = h.ledger.track({ fail: () => Promise.reject(boom) }, { owner: null, file: FILE })
    await h.within(a, async () => {
      await expect(client.fail()).rejects.toBe(boom)
    })
  })

  test('frozen objects are owned but not observed; sealed objects keep working', () => {
    const h = harness()
    const frozen = Object.freeze({ hello: () => 'hi' })
    const sealed = Object.seal({ count: 0, bump(): number { return ++this.count } })
    h.runTest(a, () => {
      expect(h.ledger.track(frozen, { owner: a, file: FILE }).hello).toBe(frozen.hello)
      const s = h.ledger.track(sealed, { owner: a, file: FILE })
      expect(s.bump()).toBe(1)
      expect(Object.isSealed(s)).toBe(true)
    })
  })

  test('errors thrown by methods propagate unchanged, and a trimmed stack starts at the caller', () => {
    class Parser {
      parse(input: string): string {
        if (input === '') {
          const error = new Error('empty input')
          Error.captureStackTrace(error, parse)
          throw error
        }
        return input
      }
    }
    const parse = Parser.prototype.parse
    const h = harness()
    const boom = new Error('boom')
    const thrower = h.ledger.track({ fail: (): never => { throw boom } }, { owner: null, file: FILE })
    h.runTest(a, () => expect(() => thrower.fail()).toThrow(boom))
    h.runTest(a, () => {
      const parser = h.ledger.track(new Parser(), { owner: a, file: FILE })
      let caught: Error | undefined
      try {
        parser.parse('')
      } catch (error) {
        caught = error as Error
      }
      const first = caught!.stack!.split('\n').find((line) => line.trimStart().startsWith('at '))
      expect(first).toContain('ledger-observe.test.ts')
    })
  })

  test('EventEmitter subclasses: listeners run with `this`, built-in methods are left alone', () => {
    class Bus extends EventEmitter {
      fire(): void {
        this.emit('ping', 1)
      }
    }
    const h = harness()
    h.runTest(a, () => {
      const bus = h.ledger.track(new Bus(), { owner: a, file: FILE })
      const seen: unknown[] = []
      bus.on('ping', function (this: unknown, n: number) {
        seen.push(this === bus, n)
      })
      bus.fire()
      expect(seen).toEqual([true, 1])
      expect(bus.on).toBe(EventEmitter.prototype.on)
    })
  })

  test('a tracked Map is still equal to, cloned and serialised as a Map; other maps are untouched', () => {
    const h = harness()
    h.runTest(a, () => {
      const map = h.ledger.track(new Map([['k', 1]]), { owner: a, file: FILE })
      expect(map.set('j', 2)).toBe(map)
      expect(map).toEqual(new Map([['k', 1], ['j', 2]]))
      expect(structuredClone(map)).toEqual(new Map([['k', 1], ['j', 2]]))
      expect(Object.keys(map)).toEqual([])
      expect(new Map().set).toBe(Map.prototype.set)
    })
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

import { describe, expect, test, vi } from 'vitest'
import { a, Machine, Scheme } from './ledger-fixtures.ts'
import { FILE, harness } from './ledger-harness.ts'

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

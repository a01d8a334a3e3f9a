/**
 * `Binding`: the cell behind a marked top-level `const`/`let`. Generated code turns every reference into `.value`, whose
 * getter returns the current test's value, running the initializer once per test on first read.
 *
 * The getter is on the hot path of every read, so it is kept tiny: one `getStore()` and one comparison against the last
 * slot it served. Only a different (or concurrent) test falls through to the per-slot `Map`.
 */
import { bindingScopeError } from './errors.ts'
import { withKnownPlace, type SourcePlace } from './location.ts'
import type { SlotCache, TestSlot } from './slot.ts'
import { state } from './state.ts'
import { ownValue } from './tracking.ts'
import type { BindingCell, BindingKind } from './types.ts'

const als = state.als

/** A slot no `getStore()` ever returns: an empty cache matches nothing, not even "no test". */
const NO_SLOT = Object.freeze({}) as TestSlot

/** Marks a value whose initializer is running, to report a read of the binding from its own initializer. */
const INITIALIZING: unique symbol = Symbol('initializing')

/** The per-test cell of one marked binding. */
export class Binding<T = unknown> implements BindingCell<T>, SlotCache {
  readonly name: string
  readonly kind: BindingKind
  /** Where the declaration is in the original source. */
  readonly place: SourcePlace
  readonly #init: () => T
  #slot: TestSlot = NO_SLOT
  #value: unknown = undefined

  constructor(name: string, kind: BindingKind, place: SourcePlace, init: () => T) {
    this.name = name
    this.kind = kind
    this.place = place
    this.#init = init
  }

  get value(): T {
    const slot = als.getStore()
    if (slot === this.#slot) return this.#value as T
    return this.#read(slot)
  }

  set value(next: T) {
    if (this.kind === 'const') throw new TypeError('Assignment to constant variable.')
    const slot = this.#current(als.getStore(), 'assigned')
    slot.values.set(this, next)
    ownValue(next, slot.owner, `binding:${this.name}`, this.place)
    this.#slot = slot
    this.#value = next
  }

  #current(slot: TestSlot | undefined, access: 'read' | 'assigned' = 'read'): TestSlot {
    if (slot === undefined) throw bindingScopeError(this.name, this.place, undefined, access)
    if (slot.released) throw bindingScopeError(this.name, this.place, slot.info.fullName, access)
    return slot
  }

  #read(store: TestSlot | undefined): T {
    const slot = this.#current(store)
    const values = slot.values
    let value = values.get(this)
    if (value === INITIALIZING) {
      throw new ReferenceError(`Cannot access '${this.name}' before initialization (its initializer reads it).`)
    }
    if (value === undefined && !values.has(this)) {
      values.set(this, INITIALIZING)
      try {
        value = withKnownPlace(this.place, this.#init)
      } catch (error) {
        values.delete(this)
        throw error
      }
      values.set(this, value)
      ownValue(value, slot.owner, `binding:${this.name}`, this.place)
    }
    this.#slot = slot
    this.#value = value
    return value as T
  }

  /** Drops the cached value of `slot` when the slot is released, so the cell never keeps a finished test's value alive. */
  forget(slot: TestSlot): void {
    if (this.#slot === slot) {
      this.#slot = NO_SLOT
      this.#value = undefined
    }
  }
}

/**
 * Observing a tracked instance without replacing it. The object a factory returns stays the object the caller gets (no
 * Proxy: `===`, private `#fields`, brand checks, `WeakMap` keys, `structuredClone` and `util.types.isProxy` all see the
 * real thing); its calls are observed by replacing its methods in place, the way tinyspy and `vi.spyOn` do:
 * - methods of its prototypes are wrapped once per prototype, and the wrapper looks the receiver up in the ledger's weak
 *   map, so an untracked instance of the same class pays one `WeakMap.get` per call;
 * - own function properties (plain objects, and libraries that assign methods in their constructor) are wrapped on the
 *   object itself;
 * - one wrapper per original function, so two names for one method stay `===` (`const { parse } = schema`);
 * - getters and setters are wrapped the same way (a read of `registry.size` is a use).
 * Frozen objects and non-writable methods are owned but not observed, direct reads and writes of data fields are not,
 * and built-in prototypes (`Object`, `Array`, `EventEmitter`…) are left alone: wrapping them would slow every instance of
 * the built-in in the process. A tracked `Map` or `Set` gets its own wrappers instead (see `wrapCollection`).
 */
import { EventEmitter } from 'node:events'
import { hideTopFrames } from './frames.ts'
import type { Stamp } from './stamps.ts'

/** What a tracked instance reports its calls to. */
export interface InstanceSink {
  /** A method of `record` is called by the code running now; the sink calls `fn` and returns its result as it is. */
  call(record: TrackedInstance, member: PropertyKey, fn: AnyFunction, self: unknown, args: unknown[]): unknown
}

export type AnyFunction = (this: any, ...args: any[]) => any

/** One tracked instance: the object itself, its ownership stamp, the name its operations are reported under, and the sink of the ledger that tracks it. */
export class TrackedInstance<T extends object = object> {
  constructor(
    readonly target: T,
    readonly stamp: Stamp,
    /** The resource name, or the class name in lower camel case. */
    readonly name: string,
    readonly sink: InstanceSink,
  ) {}
}

const SOURCE = Function.prototype.toString

function isNative(fn: unknown): boolean {
  return typeof fn === 'function' && SOURCE.call(fn).endsWith('{ [native code] }')
}

/** Whether `fn` is a class (its source says so: no other test tells a class from a function). */
export function isClass(fn: unknown): boolean {
  return typeof fn === 'function' && SOURCE.call(fn).startsWith('class')
}

/** Prototypes whose methods are everybody's: the built-ins (`Object`, `Map`, `Promise`…) and Node's `EventEmitter`. */
function isSharedPrototype(proto: object): boolean {
  if (proto === Object.prototype || proto === Function.prototype || proto === EventEmitter.prototype) return true
  const ctor = Reflect.getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown
  return isNative(ctor)
}

/**
 * What the installed wrappers read. One per process, on `globalThis`: a prototype is wrapped once whichever ledger (or
 * copy of the runtime — Vite may inline one, Node load another) tracked an instance of it first, and each call is sent to
 * the sink of the ledger that tracks its receiver.
 */
interface Wrappers {
  readonly version: number
  /** Tracked instances, by the object itself. */
  readonly tracked: WeakMap<object, TrackedInstance>
  /** Prototypes whose methods are already wrapped (their ancestors too). */
  readonly prototypes: WeakSet<object>
  /** Original function → its wrapper, so aliases stay `===` and a function is wrapped once. */
  readonly wrappers: WeakMap<AnyFunction, AnyFunction>
  /** Our wrappers, never wrapped again. */
  readonly ours: WeakSet<AnyFunction>
  /**
   * Own function properties → the one instance that holds them (`null` once a second one does): a method a library
   * creates per instance (`inst.parse = (data) => …`) is observed even when called without a receiver.
   */
  readonly holders: WeakMap<AnyFunction, TrackedInstance | null>
  /**
   * Prototypes of declared resource classes → what adopts an instance of them: a class stays the class (no wrapper can
   * be told from it: statics, `#private` statics through `this`, `prototype.constructor`, its source), so its instances
   * are tracked at their first observed call instead of at `new`.
   */
  readonly classes: WeakMap<object, (instance: object) => void>
  /** Whether any class was registered: untracked receivers only look for one then. */
  hasClasses: boolean
}

const WRAPPERS_KEY = Symbol.for('vitest-isolation.wrappers')
const WRAPPERS_VERSION = 2

function loadWrappers(): Wrappers {
  const holder = globalThis as unknown as Record<symbol, Wrappers | undefined>
  const existing = holder[WRAPPERS_KEY]
  if (existing?.version === WRAPPERS_VERSION) return existing
  const created: Wrappers = {
    version: WRAPPERS_VERSION,
    tracked: new WeakMap(),
    prototypes: new WeakSet(),
    wrappers: new WeakMap(),
    ours: new WeakSet(),
    holders: new WeakMap(),
    classes: new WeakMap(),
    hasClasses: false,
  }
  Object.defineProperty(globalThis, WRAPPERS_KEY, { value: created, configurable: true, writable: true, enumerable: false })
  return created
}

const shared = loadWrappers()

/** Starts observing the calls of `record.target`, in place. */
export function observe(record: TrackedInstance): void {
  const target = record.target
  shared.tracked.set(target, record)
  if (Object.isFrozen(target)) return
  wrapOwn(target, record)
  wrapPrototypes(Reflect.getPrototypeOf(target))
  if (Object.isExtensible(target)) wrapCollection(target)
}

function wrapPrototypes(first: object | null): void {
  for (let proto = first; proto !== null && !isSharedPrototype(proto); proto = Reflect.getPrototypeOf(proto)) {
    if (shared.prototypes.has(proto)) break
    shared.prototypes.add(proto)
    if (!Object.isFrozen(proto)) wrapOwn(proto, undefined)
  }
}

/**
 * Observes the instances of a declared resource class, however they are made (`new Db()` anywhere, or `ctx.db`):
 * its prototype methods are wrapped now, and `adopt` tracks an instance at its first call that is not tracked yet.
 */
export function observeClass(cls: AnyFunction, adopt: (instance: object) => void): void {
  const prototype = (cls as { prototype?: unknown }).prototype
  if (typeof prototype !== 'object' || prototype === null || shared.classes.has(prototype)) return
  shared.classes.set(prototype, adopt)
  shared.hasClasses = true
  wrapPrototypes(prototype)
}

/** An instance of a declared resource class seen for the first time: adopted, then looked up again. */
function adopted(self: object): TrackedInstance | undefined {
  for (let proto = Reflect.getPrototypeOf(self); proto !== null; proto = Reflect.getPrototypeOf(proto)) {
    const adopt = shared.classes.get(proto)
    if (adopt === undefined) continue
    adopt(self)
    return shared.tracked.get(self)
  }
  return undefined
}

const COLLECTIONS: readonly object[] = [Map.prototype, Set.prototype]

/**
 * A `Map` or `Set` (or a subclass) tracked as a resource: its built-in methods are observed through own, non-enumerable
 * wrappers on the instance itself — `Map.prototype` stays untouched for every other map in the process, and equality,
 * iteration, JSON and `structuredClone` read entries, not such properties.
 */
function wrapCollection(target: object): void {
  const builtin = COLLECTIONS.find((proto) => Object.prototype.isPrototypeOf.call(proto, target))
  if (builtin === undefined) return
  for (const key of Reflect.ownKeys(builtin)) {
    if (key === 'constructor' || Object.hasOwn(target, key)) continue
    const descriptor = Reflect.getOwnPropertyDescriptor(builtin, key)
    if (descriptor === undefined || typeof descriptor.value !== 'function') continue
    // A subclass's own override was wrapped with its prototype.
    let owner: object | null = Reflect.getPrototypeOf(target)
    while (owner !== null && owner !== builtin && !Object.hasOwn(owner, key)) owner = Reflect.getPrototypeOf(owner)
    if (owner !== builtin) continue
    Reflect.defineProperty(target, key, { value: wrapperOf(descriptor.value as AnyFunction, key), writable: true, configurable: true, enumerable: false })
  }
}

/** Wraps the writable own function properties of `holder`; `record` when `holder` is the instance itself. */
function wrapOwn(holder: object, record: TrackedInstance | undefined): void {
  for (const key of Reflect.ownKeys(holder)) {
    if (key === 'constructor') continue
    const descriptor = Reflect.getOwnPropertyDescriptor(holder, key)
    if (descriptor === undefined) continue
    if (!('value' in descriptor)) {
      wrapAccessor(holder, key, descriptor)
      continue
    }
    if (typeof descriptor.value !== 'function') continue
    const original = descriptor.value as AnyFunction
    // A class-valued member is a namespace (`new instance.Kind()`), not a call on the instance.
    if (shared.ours.has(original) || isNative(original) || isClass(original)) continue
    if (record !== undefined) hold(original, record)
    const wrapper = wrapperOf(original, key)
    if (descriptor.configurable) Reflect.defineProperty(holder, key, { ...descriptor, value: wrapper })
    // A sealed object's methods are not configurable, but may still be writable.
    else if (descriptor.writable) Reflect.set(holder, key, wrapper)
  }
}

/** A getter or setter (`registry.size`) is a use like a call: both are wrapped, in the same descriptor. */
function wrapAccessor(holder: object, key: PropertyKey, descriptor: PropertyDescriptor): void {
  if (!descriptor.configurable) return
  const get = descriptor.get as AnyFunction | undefined
  const set = descriptor.set as AnyFunction | undefined
  const wrapped = { ...descriptor }
  if (get !== undefined && !shared.ours.has(get) && !isNative(get)) wrapped.get = wrapperOf(get, key)
  if (set !== undefined && !shared.ours.has(set) && !isNative(set)) wrapped.set = wrapperOf(set, key)
  if (wrapped.get !== get || wrapped.set !== set) Reflect.defineProperty(holder, key, wrapped)
}

function hold(fn: AnyFunction, record: TrackedInstance): void {
  const known = shared.holders.get(fn)
  if (known === undefined) shared.holders.set(fn, record)
  else if (known !== record) shared.holders.set(fn, null)
}

/** The tracked instance a call of `original` with receiver `self` belongs to, if any. */
function recordOf(original: AnyFunction, self: unknown): TrackedInstance | undefined {
  if (self === null || (typeof self !== 'object' && typeof self !== 'function')) return shared.holders.get(original) ?? undefined
  return shared.tracked.get(self) ?? shared.holders.get(original) ?? (shared.hasClasses ? adopted(self) : undefined)
}

/** A call of a wrapped `original`: sent to the sink of the ledger that tracks its receiver, or made as it is. */
function dispatch(original: AnyFunction, member: PropertyKey, self: unknown, args: unknown[]): unknown {
  try {
    const record = recordOf(original, self)
    return record === undefined ? Reflect.apply(original, self, args) : record.sink.call(record, member, original, self, args)
  } catch (error) {
    hideTopFrames(error)
    throw error
  }
}

function wrapperOf(original: AnyFunction, member: PropertyKey): AnyFunction {
  const known = shared.wrappers.get(original)
  if (known !== undefined) return known
  // A method shorthand is not a constructor, like the methods it stands for; a plain `function` stays constructible.
  const wrapper: AnyFunction = Object.hasOwn(original, 'prototype')
    ? function (this: unknown, ...args: unknown[]): unknown {
        if (new.target !== undefined) return Reflect.construct(original, args, new.target as AnyFunction)
        return dispatch(original, member, this, args)
      }
    : {
        method(this: unknown, ...args: unknown[]): unknown {
          return dispatch(original, member, this, args)
        },
      }.method
  mirror(wrapper, original)
  shared.wrappers.set(original, wrapper)
  return wrapper
}

/** Whether `value` is one of the runtime's wrappers (a method's or a factory's): the retention path search stops there. */
export function isWrapper(value: unknown): boolean {
  return typeof value === 'function' && shared.ours.has(value as AnyFunction)
}

/**
 * Makes `wrapper` look like `original`: `name`, `length`, `toString()` (Vitest reads a fixture's source), `prototype`,
 * and the prototype chain (statics, and `constructor.name === 'AsyncFunction'` for an async original); and marks it ours.
 */
export function mirror(wrapper: AnyFunction, original: AnyFunction): void {
  shared.ours.add(wrapper)
  Reflect.setPrototypeOf(wrapper, original)
  for (const key of ['name', 'length'] as const) {
    const descriptor = Reflect.getOwnPropertyDescriptor(original, key)
    if (descriptor !== undefined) Reflect.defineProperty(wrapper, key, descriptor)
  }
  const prototype = Reflect.getOwnPropertyDescriptor(original, 'prototype')
  if (prototype !== undefined) Reflect.defineProperty(wrapper, 'prototype', prototype)
  Reflect.defineProperty(wrapper, 'toString', {
    value: function toString(): string {
      return SOURCE.call(original)
    },
    configurable: true,
    writable: true,
    enumerable: false,
  })
}

/**
 * The tracking Proxy of an instance. The record is the Proxy's handler (no closure per trap), every trap forwards to the
 * real target with the target as receiver — so getters, setters and methods run with `this` = the real object and
 * private `#fields` keep working — and methods come back as cached Proxies of the original function with an `apply` trap,
 * so `name`, `length` and a `vi.spyOn` spy's state stay visible. Class-valued properties come back as they are, so
 * `new instance.Kind()` and `instanceof instance.Kind` keep working.
 */
import type { Stamp } from './stamps.ts'

/** What a tracked instance reports to: uses, calls and assignments, attributed by the ledger to the current scope. */
export interface InstanceSink {
  /** A property of the instance was read, written, enumerated or tested by the code running now. */
  use(record: TrackedInstance, member: PropertyKey): void
  /** A method is called through the instance; the sink calls `fn` and returns its result. */
  call(record: TrackedInstance, member: PropertyKey, fn: (...args: unknown[]) => unknown, self: unknown, args: unknown[]): unknown
  /** A value is assigned to a property of the instance (it crosses the instance like an argument). */
  assign(record: TrackedInstance, member: PropertyKey, value: unknown): void
}

class TrackedMethod implements ProxyHandler<(...args: unknown[]) => unknown> {
  constructor(
    private readonly record: TrackedInstance,
    private readonly member: PropertyKey,
  ) {}

  apply(fn: (...args: unknown[]) => unknown, self: unknown, args: unknown[]): unknown {
    const record = this.record
    return record.sink.call(record, this.member, fn, self === record.proxy ? record.target : self, args)
  }
}

function isClass(fn: (...args: unknown[]) => unknown): boolean {
  return Function.prototype.toString.call(fn).startsWith('class')
}

/** One tracked instance: its target, its Proxy, and its ownership stamp. The handler of its own Proxy. */
export class TrackedInstance<T extends object = object> implements ProxyHandler<T> {
  readonly proxy: T
  private readonly methods = new Map<PropertyKey, { fn: (...args: unknown[]) => unknown; proxy: (...args: unknown[]) => unknown }>()

  constructor(
    readonly target: T,
    readonly stamp: Stamp,
    /** The name operations are reported under: the resource name, or the class name in lower camel case. */
    readonly name: string,
    readonly sink: InstanceSink,
    /** The top-level binding that holds it, for hints. */
    readonly binding: string | undefined,
  ) {
    this.proxy = new Proxy(target, this)
  }

  get(target: T, member: PropertyKey): unknown {
    const value: unknown = Reflect.get(target, member)
    if (typeof value !== 'function') {
      this.sink.use(this, member)
      return value
    }
    // A call is the use; reading a method to call it is not counted twice.
    return this.method(target, member, value as (...args: unknown[]) => unknown)
  }

  set(target: T, member: PropertyKey, value: unknown): boolean {
    this.sink.assign(this, member, value)
    return Reflect.set(target, member, value)
  }

  has(target: T, member: PropertyKey): boolean {
    this.sink.use(this, member)
    return Reflect.has(target, member)
  }

  deleteProperty(target: T, member: PropertyKey): boolean {
    this.sink.use(this, member)
    return Reflect.deleteProperty(target, member)
  }

  defineProperty(target: T, member: PropertyKey, descriptor: PropertyDescriptor): boolean {
    this.sink.use(this, member)
    return Reflect.defineProperty(target, member, descriptor)
  }

  ownKeys(target: T): (string | symbol)[] {
    this.sink.use(this, 'keys')
    return Reflect.ownKeys(target)
  }

  getOwnPropertyDescriptor(target: T, member: PropertyKey): PropertyDescriptor | undefined {
    this.sink.use(this, member)
    return Reflect.getOwnPropertyDescriptor(target, member)
  }

  private method(target: T, member: PropertyKey, fn: (...args: unknown[]) => unknown): unknown {
    const cached = this.methods.get(member)
    if (cached !== undefined && cached.fn === fn) return cached.proxy
    let proxy = fn
    // A Proxy may not report another value for a non-configurable, non-writable own property; classes are constructors
    // (read through an instance they are namespaces, not calls on it).
    const own = Reflect.getOwnPropertyDescriptor(target, member)
    const fixed = own !== undefined && own.configurable === false && own.writable === false
    if (!fixed && !isClass(fn)) proxy = new Proxy(fn, new TrackedMethod(this, member))
    this.methods.set(member, { fn, proxy })
    return proxy
  }
}

/**
 * Instrumented resource factories: the transform of a resource's own module wraps the declared export with
 * `__vi_iso_runtime.factory(name, fn)`, so every instance it makes — also by a direct call such as
 * `const scheme = newScheme()` at module scope — is recorded with the scope that created it, and the caller gets the
 * ledger's tracking Proxy of it (the instance itself with `leaks: 'off'`).
 *
 * The wrapper is a `Proxy`, so it is indistinguishable from the original to callers: `name`, `length`, static properties,
 * `prototype`, `constructor.name` (`'AsyncFunction'` stays detectable) and `toString()` (which Vitest parses for
 * `test.extend` fixtures) all come from the original.
 */
import { creationPlace } from './location.ts'
import { state } from './state.ts'
import { trackInstance } from './tracking.ts'

const instrumented = new WeakSet<object>()

function track(resource: string, result: unknown, operation: string): unknown {
  const slot = state.als.getStore()
  const createdBy = slot && !slot.released ? slot.info : null
  const place = creationPlace()
  // Only real promises: calling `then` on an arbitrary thenable (a lazy query builder) could start work.
  if (result instanceof Promise || Object.prototype.toString.call(result) === '[object Promise]') {
    const promise = result as Promise<unknown>
    if (state.ledger === undefined) {
      // Record what the promise resolves to; the derived promise swallows rejections so tracking adds no unhandled one.
      promise.then(
        (value) => state.registry.record(resource, value, createdBy, place),
        () => undefined,
      )
      return result
    }
    // The caller must get the tracking Proxy, so it gets a promise of it; a rejection reaches it unchanged. The
    // continuation runs in the creating test's async context, so the instance is owned by that test.
    return promise.then((value) => {
      state.registry.record(resource, value, createdBy, place)
      return trackInstance(resource, value, place, operation)
    })
  }
  state.registry.record(resource, result, createdBy, place)
  return trackInstance(resource, result, place, operation)
}

/**
 * Wraps the declared factory `fn` of resource `resource` so the instances it returns are recorded; anything that is not a
 * function is returned as is.
 */
export function instrumentFactory<F>(resource: string, fn: F): F {
  if (typeof fn !== 'function' || instrumented.has(fn)) return fn
  const target = fn as unknown as (...args: unknown[]) => unknown
  const toString = function toString(): string {
    return Function.prototype.toString.call(target)
  }
  const operation = `${target.name || resource}()`
  const proxy = new Proxy(target, {
    apply(original, thisArg, args) {
      return track(resource, Reflect.apply(original, thisArg, args), operation)
    },
    construct(original, args, newTarget) {
      const instance = Reflect.construct(original, args, newTarget === proxy ? original : newTarget) as object
      return track(resource, instance, `new ${target.name || resource}()`) as object
    },
    get(original, key) {
      const value = Reflect.get(original, key, original) as unknown
      // Function.prototype.toString refuses a Proxy's own source; answer with the original's.
      return value === Function.prototype.toString ? toString : value
    },
  })
  instrumented.add(proxy)
  return proxy as unknown as F
}

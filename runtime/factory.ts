/**
 * Instrumented resource factories: the transform of a resource's own module wraps the declared export with
 * `__vi_iso_runtime.factory(name, fn)`, so every instance it makes — also by a direct call such as
 * `const scheme = newScheme()` at module scope — is recorded with the scope that created it. The caller gets exactly what
 * the factory returned (the same object; a promise as it was), and the ledger observes it in place.
 *
 * A function factory becomes a plain function that calls it, not a Proxy: a library that trims its errors with
 * `Error.captureStackTrace(err, newScheme)` names our wrapper (its own binding was re-assigned to it), so the trim still
 * works, and what is left on top of the stack of an error thrown through it is the caller's frame; `toString()` answers
 * with the original's source (Vitest reads it for fixtures). A class is not replaced at all — nothing that stands in for
 * a class can be told from it (`Db.prototype.constructor === Db`, static `#private` members read through `this`, its
 * `class …` source) — so its instances are adopted by the ledger at their first observed call (see `observeClass`).
 */
import { ERROR_PREFIX } from './errors.ts'
import { hideOwnFrames, hideTopFrames } from './ledger/frames.ts'
import { isClass, isWrapper, mirror, observeClass, type AnyFunction } from './ledger/observe.ts'
import { creationPlace } from './location.ts'
import { NOT_A_FACTORY } from './names.ts'
import { state } from './state.ts'
import { trackInstance } from './tracking.ts'

const then = Promise.prototype.then

/** Records `result` (or, for a plain promise, what it resolves to) and returns it unchanged. */
function track(resource: string, result: unknown, operation: string): unknown {
  if (state.ledger === undefined) return result
  const place = creationPlace()
  // Only plain promises: `then` of a subclass or of a thenable is user code (a lazy query builder starts its query). The
  // side chain runs in the creating test's async context, so the instance is owned by that test; it handles a rejection
  // (the caller's own handlers still see it) and takes our frames off its stack.
  if (typeof result === 'object' && result !== null && Reflect.getPrototypeOf(result) === Promise.prototype) {
    Reflect.apply(then, result, [(value: unknown) => trackInstance(resource, value, place, operation), hideTopFrames])
  } else {
    trackInstance(resource, result, place, operation)
  }
  return result
}

function described(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  const type = typeof value
  return type === 'undefined' ? 'undefined' : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`
}

/**
 * Calls a resource's factory the way SPEC §3 says: `new Factory(deps)` for a class, `factory(deps)` for a function. What
 * the source could not show at start-up (an export computed by a call) is checked here.
 */
export function callFactory(resource: string, factory: unknown, deps: object): unknown {
  if (typeof factory !== 'function') {
    const declared = state.options?.resources[resource]
    const where = declared ? `the export "${declared.export}" of ${declared.module}` : 'its export'
    const config = state.options?.configFile ?? 'the Vitest config'
    throw new TypeError(
      `${ERROR_PREFIX} The resource "${resource}": ${where} (declared in ${config}) is ${described(factory)}, ${NOT_A_FACTORY}`,
    )
  }
  // Tracked here too: a class is never wrapped, and a factory the transform did not reach (a package's, which Vitest
  // loads without Vite) has no wrapper; an instance the wrapper already tracked is simply known again.
  const name = factory.name || resource
  if (!isClass(factory)) return track(resource, Reflect.apply(factory, undefined, [deps]), `${name}()`)
  return track(resource, Reflect.construct(factory, [deps]), `new ${name}()`)
}

/**
 * Instruments the declared factory `fn` of resource `resource` so the instances it makes are recorded: a function is
 * returned wrapped, a class as it is (its instances are adopted at their first observed call), anything else as it is.
 */
export function instrumentFactory<F>(resource: string, fn: F): F {
  // With `leaks: 'off'` nothing is tracked, so nothing is wrapped.
  if (typeof fn !== 'function' || isWrapper(fn) || state.ledger === undefined) return fn
  const original = fn as unknown as AnyFunction
  const name = original.name || resource
  if (isClass(original)) {
    observeClass(original, (instance) => trackInstance(resource, instance, creationPlace(), `new ${name}()`))
    return fn
  }
  return instrumentFunction(resource, original, name) as F
}

function instrumentFunction(resource: string, original: AnyFunction, name: string): AnyFunction {
  const call = (self: unknown, args: unknown[]): unknown => track(resource, Reflect.apply(original, self, args), `${name}()`)
  const construct = (newTarget: AnyFunction, args: unknown[]): unknown =>
    track(resource, Reflect.construct(original, args, newTarget), `new ${name}()`)
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    // A constructor function (`new Factory()`) is constructed, as the original would be.
    if (new.target !== undefined) return hideOwnFrames(() => construct(new.target === wrapper ? original : new.target, args), this, args)
    return hideOwnFrames(call, this, args)
  }
  mirror(wrapper, original)
  return wrapper
}

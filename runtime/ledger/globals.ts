/**
 * Telling the test's globals from Node's, Vitest's and this plugin's: shared by the retention path search (which starts
 * from `globalThis`) and the state journal (runtime/journal/globals.ts).
 */

// Keys Vitest, Vite and Node set on globalThis while tests run: the runner's state, the module runner, snapshot and
// expect state, undici's dispatcher (the first `fetch` sets it). Measured with a calibration suite (tests/unit/journal-globals).
const INTERNAL_NAME = /^(?:__vitest|__VITEST|__vite|__VITE|__vi_iso)/
const INTERNAL_SYMBOL = /^(?:vitest|undici\.|nodejs\.|node:|\$\$jest|jest-|chai|tinyspy|tinypool)/i

// The same couple of hundred keys are classified twice per isolated test: remember the answers.
const internalKeys = new Map<PropertyKey, boolean>()

/** True for globals that belong to Vitest, Vite, Node or this plugin, never to the test. */
export function isInternalGlobal(key: PropertyKey): boolean {
  let internal = internalKeys.get(key)
  if (internal === undefined) {
    internal = typeof key === 'symbol' ? INTERNAL_SYMBOL.test(key.description ?? '') : INTERNAL_NAME.test(String(key))
    // Tests that add fresh keys all the time must not make this grow without end.
    if (internalKeys.size > 10_000) internalKeys.clear()
    internalKeys.set(key, internal)
  }
  return internal
}

/** How a global is named in findings. */
export function globalLabel(key: PropertyKey): string {
  if (typeof key === 'symbol') return `globalThis[${key.toString()}]`
  return /^[A-Za-z_$][\w$]*$/.test(String(key)) ? `globalThis.${String(key)}` : `globalThis[${JSON.stringify(key)}]`
}

/**
 * Node defines many web globals (`Blob`, `performance`, `crypto`, …) as lazy accessors that replace themselves with a
 * data property on first read. Such a change is Node's, not the test's: an accessor became a data property holding the
 * built-in of that name (a function named like the key, or an instance of the class named like it).
 */
export function isMaterialized(key: PropertyKey, before: PropertyDescriptor, after: PropertyDescriptor): boolean {
  if (typeof key !== 'string' || before.get === undefined || !('value' in after)) return false
  const value: unknown = after.value
  if (typeof value === 'function') return (value as { name?: unknown }).name === key
  if (typeof value !== 'object' || value === null) return false
  const ctor: unknown = Reflect.getPrototypeOf(value)?.constructor
  return typeof ctor === 'function' && ctor.name.toLowerCase() === key.toLowerCase()
}

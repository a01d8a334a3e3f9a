/**
 * `global-mutation`: what an isolated test added to, changed in or deleted from `globalThis` and `process.env` and did not
 * undo by its end. Property *descriptors* are compared (value identity, getter and setter identity), so no
 * getter runs, and Node's and Vitest's own globals are told apart from the test's (see `isInternalGlobal`).
 */

/**
 * The state of the globals at one moment. Values are held only while one test runs, from its start to its check. Kept as
 * parallel arrays in `Reflect.ownKeys` order: a test that adds or removes no global leaves the order as it was, so the
 * check compares position by position and builds no map.
 */
export interface GlobalsSnapshot {
  readonly keys: PropertyKey[]
  readonly descriptors: PropertyDescriptor[]
  readonly env: Record<string, string | undefined>
}

/** One global the test left different. */
export interface GlobalChange {
  /** `globalThis.__flag`, `globalThis[Symbol(x)]` or `process.env.MY_FLAG`. */
  label: string
  change: 'added' | 'changed' | 'deleted'
  env: boolean
}

// Keys Vitest, Vite and Node set on globalThis while tests run: the runner's state, the module runner, snapshot and
// expect state, undici's dispatcher (the first `fetch` sets it). Measured with a calibration suite (tests/unit/ledger-globals).
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

/** Takes a snapshot of every own property of `globalThis` and every `process.env` entry. */
export function snapshotGlobals(): GlobalsSnapshot {
  const keys = Reflect.ownKeys(globalThis)
  const descriptors: PropertyDescriptor[] = new Array(keys.length)
  for (let i = 0; i < keys.length; i++) descriptors[i] = Reflect.getOwnPropertyDescriptor(globalThis, keys[i])!
  return { keys, descriptors, env: envCopy() }
}

// Values and accessors are compared, not attributes: restoring a global by assignment after a library redefined it
// (fake timers do this in the vm pools) flips `enumerable` but leaves the global as it was.
function sameDescriptor(a: PropertyDescriptor, b: PropertyDescriptor): boolean {
  return Object.is(a.value, b.value) && a.get === b.get && a.set === b.set
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

/** What changed between `before` and now, internal globals and Node's lazy materialisation left out. */
export function globalChanges(before: GlobalsSnapshot, ignore: (key: PropertyKey) => boolean = () => false): GlobalChange[] {
  const changes: GlobalChange[] = []
  const keys = Reflect.ownKeys(globalThis)
  const changed = (key: PropertyKey, then: PropertyDescriptor | undefined): void => {
    if (isInternalGlobal(key) || ignore(key)) return
    const now = Reflect.getOwnPropertyDescriptor(globalThis, key)
    if (now === undefined) return
    if (then === undefined) changes.push({ label: globalLabel(key), change: 'added', env: false })
    else if (!sameDescriptor(then, now) && !isMaterialized(key, then, now)) {
      changes.push({ label: globalLabel(key), change: 'changed', env: false })
    }
  }
  if (sameKeys(keys, before.keys)) {
    for (let i = 0; i < keys.length; i++) {
      const then = before.descriptors[i]
      const now = Reflect.getOwnPropertyDescriptor(globalThis, keys[i])
      // Most globals are untouched: only a difference is looked at closely.
      if (now === undefined || !sameDescriptor(then, now)) changed(keys[i], then)
    }
  } else {
    const was = new Map<PropertyKey, PropertyDescriptor>()
    for (let i = 0; i < before.keys.length; i++) was.set(before.keys[i], before.descriptors[i])
    for (const key of keys) changed(key, was.get(key))
    const present = new Set<PropertyKey>(keys)
    for (const key of before.keys) {
      if (!present.has(key) && !isInternalGlobal(key) && !ignore(key)) {
        changes.push({ label: globalLabel(key), change: 'deleted', env: false })
      }
    }
  }
  const env = envCopy()
  for (const name in env) {
    const old = before.env[name]
    if (old === undefined) changes.push({ label: `process.env.${name}`, change: 'added', env: true })
    else if (old !== env[name]) changes.push({ label: `process.env.${name}`, change: 'changed', env: true })
  }
  for (const name in before.env) {
    if (!Object.hasOwn(env, name)) changes.push({ label: `process.env.${name}`, change: 'deleted', env: true })
  }
  return changes
}

function sameKeys(a: readonly PropertyKey[], b: readonly PropertyKey[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * The entries of `process.env`, in an object without a prototype (so a name like `constructor` reads only itself). Read
 * name by name: `Object.assign` and `Object.entries` ask Node's environment about each entry's attributes as well, which
 * takes twice as long.
 */
function envCopy(): Record<string, string | undefined> {
  const env = process.env
  const copy = Object.create(null) as Record<string, string | undefined>
  for (const name of Object.keys(env)) copy[name] = env[name]
  return copy
}

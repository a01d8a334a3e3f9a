/**
 * The journal's view of `globalThis` and `process.env`: which own properties of the global object were added, replaced
 * or deleted since the last look (compared by descriptor, so no getter runs), which globals are followed deep, and
 * which belong to Node, Vitest, this plugin or a dependency rather than to the project's tests.
 */
import { globalLabel, isInternalGlobal, isMaterialized } from '../ledger/globals.ts'
import type { Place } from '../report/types.ts'
import { ABSENT, MAX_DEPTH } from './walk.ts'

export { globalLabel }

/**
 * The globals of the environment whose own properties are followed although they existed before any test: the usual
 * targets of stubs (`console.log`, `Math.random`, `Date.now`). Only one level: below it are Node's internals (the
 * console's streams), which change as tests print.
 */
const BUILTINS_FOLLOWED = new Set<PropertyKey>(['console', 'JSON', 'Math', 'Date'])

/**
 * Globals that libraries create for themselves while a test runs (devtools hooks, framework flags, polyfill stores): a
 * test cannot restore them and did not mean to set them (pinia's suite: Vue's `__VUE__` and devtools hooks). The rest
 * is the user's `ignoreGlobals`.
 */
const DEPENDENCY_GLOBAL =
  /^(?:__VUE|__vue|__INTLIFY|__REACT_DEVTOOLS|__REDUX_DEVTOOLS|__MOBX|__APOLLO|__PREACT|__SVELTE|__NEXT|__NUXT|__SENTRY__|__zone_symbol__|Zone$|__core-js|core$|regeneratorRuntime$|webpackChunk|__webpack|__coverage__$|\$RefreshReg\$|\$RefreshSig\$|IS_REACT_ACT_ENVIRONMENT$)/

/** What the user's `ignoreGlobals` option holds, as the workers receive it. */
export type IgnoredGlobal = string | { source: string; flags: string }

/** Decides which globals the journal looks at. */
export class GlobalFilter {
  private readonly names = new Set<string>()
  private readonly patterns: RegExp[] = []
  private readonly cache = new Map<PropertyKey, boolean>()

  constructor(ignore: readonly IgnoredGlobal[] = []) {
    for (const entry of ignore) {
      if (typeof entry === 'string') this.names.add(entry.startsWith('globalThis.') ? entry.slice('globalThis.'.length) : entry)
      else this.patterns.push(new RegExp(entry.source, entry.flags))
    }
  }

  /** True for a global that is Node's, Vitest's, this plugin's, a dependency's, or ignored by the user. */
  ignores(key: PropertyKey): boolean {
    let ignored = this.cache.get(key)
    if (ignored === undefined) {
      const name = typeof key === 'symbol' ? (key.description ?? '') : String(key)
      ignored =
        isInternalGlobal(key) ||
        (typeof key === 'string' && DEPENDENCY_GLOBAL.test(key)) ||
        this.names.has(name) ||
        this.patterns.some((pattern) => pattern.test(name))
      if (this.cache.size > 10_000) this.cache.clear()
      this.cache.set(key, ignored)
    }
    return ignored
  }

  /** Whether the value of an ignored `process.env` entry is ignored (`ignoreGlobals: ['process.env.TZ']`). */
  ignoresEnv(name: string): boolean {
    return this.names.has(`process.env.${name}`) || this.patterns.some((pattern) => pattern.test(`process.env.${name}`))
  }
}

/** One own property of `globalThis` that was added, replaced or deleted. */
export interface GlobalDifference {
  key: PropertyKey
  change: 'added' | 'changed' | 'deleted'
  before: unknown
  after: unknown
}

/** The own properties of `globalThis` at one look, in `Reflect.ownKeys` order. */
export interface GlobalsLook {
  readonly keys: PropertyKey[]
  readonly descriptors: PropertyDescriptor[]
}

/** Takes a look at every own property of `globalThis`. */
export function lookAtGlobals(): GlobalsLook {
  const keys = Reflect.ownKeys(globalThis)
  const descriptors: PropertyDescriptor[] = new Array(keys.length)
  for (let i = 0; i < keys.length; i++) descriptors[i] = Reflect.getOwnPropertyDescriptor(globalThis, keys[i])!
  return { keys, descriptors }
}

/** What a descriptor holds: the value, or the getter (no getter runs). */
export function held(descriptor: PropertyDescriptor | undefined): unknown {
  if (descriptor === undefined) return ABSENT
  return 'value' in descriptor ? descriptor.value : (descriptor.get ?? descriptor.set)
}

// Values and accessors are compared, not attributes: restoring a global by assignment after a library redefined it
// (fake timers do this in the vm pools) flips `enumerable` but leaves the global as it was.
function same(a: PropertyDescriptor, b: PropertyDescriptor): boolean {
  return Object.is(a.value, b.value) && a.get === b.get && a.set === b.set
}

/** The differences between two looks, ignored globals and Node's lazy materialisation left out. */
export function compareGlobals(before: GlobalsLook, after: GlobalsLook, filter: GlobalFilter): GlobalDifference[] {
  const differences: GlobalDifference[] = []
  const consider = (key: PropertyKey, then: PropertyDescriptor | undefined, now: PropertyDescriptor | undefined): void => {
    if (filter.ignores(key)) return
    if (then === undefined && now !== undefined) differences.push({ key, change: 'added', before: ABSENT, after: held(now) })
    else if (then !== undefined && now === undefined) differences.push({ key, change: 'deleted', before: held(then), after: ABSENT })
    else if (then !== undefined && now !== undefined && !same(then, now) && !isMaterialized(key, then, now)) {
      differences.push({ key, change: 'changed', before: held(then), after: held(now) })
    }
  }
  if (sameKeys(before.keys, after.keys)) {
    for (let i = 0; i < after.keys.length; i++) {
      // Most globals are untouched: only a difference is looked at closely.
      if (!same(before.descriptors[i], after.descriptors[i])) consider(after.keys[i], before.descriptors[i], after.descriptors[i])
    }
    return differences
  }
  const was = new Map<PropertyKey, PropertyDescriptor>()
  for (let i = 0; i < before.keys.length; i++) was.set(before.keys[i], before.descriptors[i])
  for (let i = 0; i < after.keys.length; i++) {
    const then = was.get(after.keys[i])
    was.delete(after.keys[i])
    if (then === undefined || !same(then, after.descriptors[i])) consider(after.keys[i], then, after.descriptors[i])
  }
  for (const [key, then] of was) consider(key, then, undefined)
  return differences
}

function sameKeys(a: readonly PropertyKey[], b: readonly PropertyKey[]): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * How many levels of the global `key` are followed: all (`MAX_DEPTH`) for a global added after the journal started,
 * one for the usual stub targets, none for the rest of the environment (their replacement is still seen).
 */
export function followedDepth(key: PropertyKey, atStart: ReadonlySet<PropertyKey>): number {
  if (!atStart.has(key)) return MAX_DEPTH
  return BUILTINS_FOLLOWED.has(key) ? 1 : 0
}

/** `process.env` at one look: its names in enumeration order, and their values. */
export interface EnvLook {
  readonly names: readonly string[]
  readonly values: readonly (string | undefined)[]
}

/**
 * Looks at `process.env`, comparing with `last` as it reads: gives back `last` itself when nothing changed (most looks),
 * so no record is built. Node copies the environment on every enumeration and every read: this is a look's main cost.
 */
export function lookAtEnv(last: EnvLook | undefined): EnvLook {
  const env = process.env
  const names = Object.keys(env)
  const values: (string | undefined)[] = new Array(names.length)
  let same = last !== undefined && sameKeys(names, last.names)
  for (let i = 0; i < names.length; i++) {
    const value = env[names[i]]
    if (same && value !== last!.values[i]) same = false
    values[i] = value
  }
  return same ? last! : { names, values }
}

/** What to do about a global (or `process.env` entry) that `by` left changed. */
export function mutationHint(state: string, change: 'added' | 'changed' | 'deleted', env: boolean, by: Place): string {
  const undo = change === 'added' ? `delete ${state}` : `restore the original ${state}`
  const stub = env ? 'vi.stubEnv with unstubEnvs: true' : 'vi.stubGlobal with unstubGlobals: true'
  if (by.hook === 'beforeEach' || by.hook === 'afterEach') {
    return `The ${by.hook} ${change} ${state} in every test and nothing undoes it: ${undo} in an afterEach (or return a clean-up from the beforeEach), or use ${stub}.`
  }
  if (by.hook !== undefined) {
    return `The ${by.hook} ${change} ${state} and nothing undoes it: ${undo} in an afterAll (or return a clean-up from the beforeAll).`
  }
  if (by.test === null) {
    return `The top level of ${by.file} ${change} ${state} and nothing undoes it: do it in a beforeAll and ${undo} in an afterAll.`
  }
  return `The test ${change} ${state} and did not undo it: ${undo} in afterEach, or use ${stub}.`
}

/**
 * One root of the state journal, followed deep and in place: the value a global or a module binding holds, its own
 * properties, array elements and `Map`/`Set` entries, down to a depth and up to a number of entries (the budget).
 *
 * A walk reads own property *descriptors* only (no getter runs), iterates `Map`/`Set` with the built-in iterators (a
 * subclass may override them) and never enters a Proxy (its traps would run), so following state changes nothing.
 *
 * The walk is on the hot path (at each test's end, and around hooks): it records keys, parent positions and values in
 * flat arrays and compares them with the previous walk as it goes. Path strings are built only for what differs.
 */
import { types } from 'node:util'
import { objectId, renderKey } from './values.ts'

/** Deepest level followed below the root (the root is level 0). */
export const MAX_DEPTH = 4
/** Most entries recorded for one root; the rest of it is not followed (with a one-time notice). */
export const MAX_ENTRIES = 400

/** How an entry hangs off its parent. */
type Edge = 0 | 1 | 2 | 3 | 4 | 5 | 6
const Edge = { Root: 0, Property: 1, Getter: 2, Element: 3, MapEntry: 4, SetEntry: 5, Size: 6 } as const

/** What a root looked like at one walk, entry by entry in walk order. */
export interface Snapshot {
  readonly edges: Edge[]
  readonly keys: unknown[]
  readonly parents: number[]
  readonly values: unknown[]
  /** Each entry's level below the root (the root is 0). */
  readonly depths: number[]
  /** The budget ran out: part of the root was not followed. */
  readonly truncated: boolean
}

/** One difference between two walks of a root, at the shallowest path that differs. */
export interface Difference {
  /** `globalThis.__config.locale`, ``counter``, `globalThis.__list` (for a container's entries). */
  readonly path: string
  readonly change: 'added' | 'changed' | 'deleted'
  readonly before: unknown
  readonly after: unknown
  /** The difference is in the entries of the `Array`, `Map` or `Set` at `path`: its entries before and after. */
  readonly entries?: { readonly before: Entries; readonly after: Entries }
  /** How libraries initialise lazily: a getter added, or replaced by the value it computed (`before` is the getter). */
  readonly lazy?: boolean
}

/** The direct entries of a container: keys (indices, Map keys, Set elements) and values, in order. */
export interface Entries {
  readonly size: unknown
  readonly keys: unknown[]
  readonly values: unknown[]
}

/** Whether two containers' entries are the same, key by key and value by value. */
export function sameEntries(a: Entries, b: Entries): boolean {
  if (!Object.is(a.size, b.size) || a.keys.length !== b.keys.length) return false
  for (let i = 0; i < a.keys.length; i++) if (!Object.is(a.keys[i], b.keys[i]) || !Object.is(a.values[i], b.values[i])) return false
  return true
}

/** How deep a walk goes. */
export interface WalkDepth {
  /**
   * The `prototype` of a function at the root is followed too (a module's class: a method added to it, as a test
   * extending a library's class does, changes every instance).
   */
  prototypes?: boolean
  /** Levels followed below the root (default `MAX_DEPTH`). */
  depth?: number
}

/** Options that decide which objects a walk enters. */
export interface WalkFilter {
  /** Objects never entered (the runtime's own state, Vitest's). */
  skip(value: object): boolean
}

/** An absent value (a property that did not exist, a global that was not there). */
export const ABSENT: unique symbol = Symbol('absent')

const visited = new Set<object>()
const getPrototypeOf = Object.getPrototypeOf
const isFrozen = Object.isFrozen

/** Whether the walk looks inside `value`. */
function enterable(value: object, filter: WalkFilter): boolean {
  if (visited.has(value) || types.isProxy(value) || filter.skip(value)) return false
  if (typeof value === 'function') return true
  // Plain objects and arrays, most of what is walked, need no closer look.
  const proto: unknown = getPrototypeOf(value)
  if (proto === Object.prototype || proto === null || Array.isArray(value)) return !isFrozen(value)
  return !(
    types.isWeakMap(value) || types.isWeakSet(value) || types.isPromise(value) || types.isAnyArrayBuffer(value) ||
    types.isArrayBufferView(value) || types.isDate(value) || types.isRegExp(value) || types.isBoxedPrimitive(value) ||
    types.isModuleNamespaceObject(value) || types.isNativeError(value) || isFrozen(value)
  )
}

// Own properties of every function that are not state.
const FUNCTION_KEYS = new Set<PropertyKey>(['length', 'name', 'prototype', 'caller', 'arguments'])

/**
 * One walk. While what it meets is what the previous walk met, entry for entry, it only compares (reading the previous
 * snapshot's arrays, allocating nothing); at the first entry that differs it copies what was confirmed and records from
 * there on. Most walks find nothing changed, so most walks allocate nothing.
 */
class Walker {
  edges: Edge[]
  keys: unknown[]
  parents: number[]
  values: unknown[]
  depths: number[]
  /** Entries so far. */
  n = 1
  /** Recording into arrays of its own (else still reading the previous snapshot's). */
  recording: boolean
  truncated = false

  constructor(
    root: unknown,
    private readonly previous: Snapshot | undefined,
    /** The `prototype` of the root function is followed too. */
    readonly prototypes: boolean,
  ) {
    if (previous !== undefined && Object.is(previous.values[0], root)) {
      this.recording = false
      this.edges = previous.edges
      this.keys = previous.keys
      this.parents = previous.parents
      this.values = previous.values
      this.depths = previous.depths
    } else {
      this.recording = true
      this.edges = [Edge.Root]
      this.keys = [undefined]
      this.parents = [-1]
      this.values = [root]
      this.depths = [0]
    }
  }

  /** Adds an entry; false when the budget is spent. */
  add(edge: Edge, key: unknown, parent: number, value: unknown): boolean {
    const i = this.n
    if (i >= MAX_ENTRIES) {
      this.truncated = true
      return false
    }
    this.n = i + 1
    if (!this.recording) {
      if (i < this.values.length && this.edges[i] === edge && this.parents[i] === parent && Object.is(this.keys[i], key) && Object.is(this.values[i], value)) {
        return true
      }
      this.record(i)
    }
    this.edges.push(edge)
    this.keys.push(key)
    this.parents.push(parent)
    this.values.push(value)
    this.depths.push(this.depths[parent] + 1)
    return true
  }

  /** Switches to recording: the first `length` entries are the previous walk's. */
  record(length: number): void {
    this.recording = true
    this.edges = this.edges.slice(0, length)
    this.keys = this.keys.slice(0, length)
    this.parents = this.parents.slice(0, length)
    this.values = this.values.slice(0, length)
    this.depths = this.depths.slice(0, length)
  }

  /** The snapshot of this walk: the previous one when nothing differs. */
  result(): Snapshot {
    const previous = this.previous
    if (!this.recording) {
      if (this.n === previous!.values.length && previous!.truncated === this.truncated) return previous!
      this.record(this.n)
    }
    return { edges: this.edges, keys: this.keys, parents: this.parents, values: this.values, depths: this.depths, truncated: this.truncated }
  }
}

/**
 * Walks `root` and compares it with `previous` as it goes. Returns `previous` itself when nothing differs (no
 * allocation is kept), else the new snapshot.
 */
export function walk(root: unknown, previous: Snapshot | undefined, filter: WalkFilter, how: WalkDepth = {}): Snapshot {
  const walker = new Walker(root, previous, how.prototypes === true)
  const depth = how.depth ?? MAX_DEPTH
  visited.clear()
  try {
    // Breadth first: when the budget runs out, what is left out is the deepest part. `walker.values` grows (or is
    // replaced by a copy) as the loop goes; entries before `walker.n` are this walk's either way.
    for (let i = 0; i < walker.n; i++) {
      const value = walker.values[i]
      if ((typeof value !== 'object' || value === null) && typeof value !== 'function') continue
      const edge = walker.edges[i]
      if (walker.depths[i] >= depth || edge === Edge.Getter || edge === Edge.Size) continue
      // A function's own state (a class's static fields) is followed only at the root: below it, functions are code.
      if (typeof value === 'function' && i !== 0) continue
      if (!enterable(value, filter)) continue
      visited.add(value)
      if (!children(value, i, walker)) break
    }
  } finally {
    visited.clear()
  }
  return walker.result()
}

const mapForEach = Map.prototype.forEach as (this: Map<unknown, unknown>, each: (value: unknown, key: unknown) => void) => void
const setForEach = Set.prototype.forEach as (this: Set<unknown>, each: (value: unknown) => void) => void
const mapSize = Reflect.getOwnPropertyDescriptor(Map.prototype, 'size')!.get as (this: Map<unknown, unknown>) => number
const setSize = Reflect.getOwnPropertyDescriptor(Set.prototype, 'size')!.get as (this: Set<unknown>) => number

function children(value: object, at: number, walker: Walker): boolean {
  if (Array.isArray(value)) {
    if (!walker.add(Edge.Size, 'length', at, value.length)) return false
    for (let i = 0; i < value.length; i++) {
      const descriptor = Reflect.getOwnPropertyDescriptor(value, i)
      if (!walker.add(Edge.Element, i, at, descriptor === undefined ? ABSENT : 'value' in descriptor ? descriptor.value : descriptor.get)) return false
    }
    return true
  }
  // The built-in iteration (a subclass may override `forEach` or the iterators); no entry runs user code.
  if (types.isMap(value)) {
    const map = value as Map<unknown, unknown>
    let room = walker.add(Edge.Size, 'size', at, mapSize.call(map))
    if (room) mapForEach.call(map, (child, key) => {
      if (room) room = walker.add(Edge.MapEntry, key, at, child)
    })
    return room
  }
  if (types.isSet(value)) {
    const set = value as Set<unknown>
    let room = walker.add(Edge.Size, 'size', at, setSize.call(set))
    if (room) setForEach.call(set, (child) => {
      if (room) room = walker.add(Edge.SetEntry, child, at, child)
    })
    return room
  }
  const fn = typeof value === 'function'
  const parent = walker.values[walker.parents[at]]
  for (const key of Reflect.ownKeys(value)) {
    if (fn && FUNCTION_KEYS.has(key) && !(key === 'prototype' && walker.prototypes)) continue
    const descriptor = Reflect.getOwnPropertyDescriptor(value, key)
    if (descriptor === undefined) continue
    // A prototype's `constructor` is the function it hangs off.
    if (key === 'constructor' && descriptor.value === parent && typeof parent === 'function') continue
    const ok = 'value' in descriptor ? walker.add(Edge.Property, key, at, descriptor.value) : walker.add(Edge.Getter, key, at, descriptor.get ?? descriptor.set)
    if (!ok) return false
  }
  return true
}

/** The path of entry `i` of `snapshot`, below the root's label. */
function pathOf(snapshot: Snapshot, i: number, label: string, cache: Map<number, string>): string {
  if (i === 0) return label
  const known = cache.get(i)
  if (known !== undefined) return known
  const parent = pathOf(snapshot, snapshot.parents[i], label, cache)
  const key = snapshot.keys[i]
  let path: string
  switch (snapshot.edges[i]) {
    case Edge.Element:
      path = `${parent}[${String(key)}]`
      break
    case Edge.MapEntry:
      path = `${parent}.get(${renderKey(key)})`
      break
    case Edge.SetEntry:
      path = `${parent}.has(${renderKey(key)})`
      break
    default:
      path = typeof key === 'symbol' ? `${parent}[${key.toString()}]` : /^[A-Za-z_$][\w$]*$/.test(String(key)) ? `${parent}.${String(key)}` : `${parent}[${JSON.stringify(key)}]`
  }
  cache.set(i, path)
  return path
}

/** Entry identity within a root: the path, with object keys of Maps and Sets told apart by their identity. */
function entryKey(snapshot: Snapshot, i: number, label: string, cache: Map<number, string>): string {
  const edge = snapshot.edges[i]
  const key = snapshot.keys[i]
  const path = pathOf(snapshot, i, label, cache)
  if ((edge === Edge.MapEntry || edge === Edge.SetEntry) && typeof key === 'object' && key !== null) return `${path}#${objectId(key)}`
  return path
}

/**
 * What differs between two walks of the root labelled `label`, each at its shallowest path: below a value that was
 * replaced, added or deleted nothing more is reported, and the entries of an `Array`, `Map` or `Set` are reported as one
 * difference of the container.
 */
export function compare(before: Snapshot, after: Snapshot, label: string): Difference[] {
  const beforePaths = new Map<number, string>()
  const afterPaths = new Map<number, string>()
  const was = new Map<string, number>()
  for (let i = 0; i < before.values.length; i++) was.set(entryKey(before, i, label, beforePaths), i)
  const differences: Difference[] = []
  // Entries (by index in `after`, or in `before` for deletions) whose subtree is already reported.
  const doneAfter = new Set<number>()
  const doneBefore = new Set<number>()
  const containers = new Set<string>()
  const report = (i: number, snapshot: Snapshot, change: Difference['change'], old: unknown, now: unknown, done: Set<number>, lazy = false): void => {
    const parent = snapshot.parents[i]
    if (parent >= 0 && done.has(parent)) {
      done.add(i)
      return
    }
    done.add(i)
    const edge = snapshot.edges[i]
    if (edge === Edge.Element || edge === Edge.MapEntry || edge === Edge.SetEntry || edge === Edge.Size) {
      // One difference per container: its size before and after.
      const path = pathOf(snapshot, parent, label, snapshot === after ? afterPaths : beforePaths)
      containers.add(path)
      return
    }
    const path = pathOf(snapshot, i, label, snapshot === after ? afterPaths : beforePaths)
    differences.push(lazy ? { path, change, before: old, after: now, lazy } : { path, change, before: old, after: now })
  }
  const seen = new Set<number>()
  for (let i = 0; i < after.values.length; i++) {
    const j = was.get(entryKey(after, i, label, afterPaths))
    if (j === undefined) {
      report(i, after, 'added', ABSENT, after.values[i], doneAfter, after.edges[i] === Edge.Getter)
      continue
    }
    seen.add(j)
    const parent = after.parents[i]
    if (parent >= 0 && doneAfter.has(parent)) {
      doneAfter.add(i)
      doneBefore.add(j)
      continue
    }
    if (!Object.is(before.values[j], after.values[i])) {
      report(i, after, 'changed', before.values[j], after.values[i], doneAfter, before.edges[j] === Edge.Getter && after.edges[i] === Edge.Property)
      doneBefore.add(j)
    }
  }
  for (let j = 0; j < before.values.length; j++) {
    if (!seen.has(j)) report(j, before, 'deleted', before.values[j], ABSENT, doneBefore)
  }
  for (const path of containers) {
    const old = entriesAt(before, path, label, beforePaths)
    const now = entriesAt(after, path, label, afterPaths)
    differences.push({ path, change: 'changed', before: old.size, after: now.size, entries: { before: old, after: now } })
  }
  return differences
}

/** The direct entries of the container at `path`. */
function entriesAt(snapshot: Snapshot, path: string, label: string, cache: Map<number, string>): Entries {
  let at = -1
  for (let i = 0; i < snapshot.values.length && at < 0; i++) {
    const edge = snapshot.edges[i]
    if ((edge === Edge.Root || edge === Edge.Property || edge === Edge.Element || edge === Edge.MapEntry) && pathOf(snapshot, i, label, cache) === path) at = i
  }
  const entries: Entries = { size: undefined, keys: [], values: [] }
  if (at < 0) return entries
  let size: unknown
  for (let i = at + 1; i < snapshot.values.length; i++) {
    if (snapshot.parents[i] !== at) continue
    if (snapshot.edges[i] === Edge.Size) size = snapshot.values[i]
    else {
      entries.keys.push(snapshot.keys[i])
      entries.values.push(snapshot.values[i])
    }
  }
  return { ...entries, size }
}

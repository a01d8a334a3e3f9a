/**
 * The retention path search: a breadth-first walk of the object graph from the roots, so the path found to each retained
 * object is a shortest one, e.g. ``module binding `seen` (tests/a.test.ts:3) → Array[0]``.
 *
 * It reads own *data* properties only (a getter may have side effects), Map and Set entries through the built-in
 * iterators (a subclass may override them), and never enters a Proxy (its traps would run).
 */
import { types } from 'node:util'
import { mayHideEdges, type HiddenEdges } from './inspect.ts'
import type { PathSource } from './roots.ts'

/** How the walk treats particular objects. */
export interface WalkOptions {
  /** Most objects visited. */
  budget: number
  /** Objects never entered (the ledger itself, the caller's own bookkeeping). */
  skip: (value: object) => boolean
  /** Closure variables and private fields, for a second pass. */
  hidden?: HiddenEdges
}

const mapEntries = Map.prototype.entries
const setValues = Set.prototype.values

function keyText(key: unknown, index: number): string {
  if (typeof key === 'string') return JSON.stringify(key)
  if (typeof key === 'number' || typeof key === 'bigint' || typeof key === 'boolean' || key == null) return String(key)
  if (typeof key === 'symbol') return key.toString()
  return `#${index}`
}

function propertyText(key: string | symbol): string {
  if (typeof key === 'symbol') return `[${key.toString()}]`
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`
}

/** The labelled children of one object that plain reflection sees. */
function children(value: object, visit: (label: string, child: unknown) => void): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const descriptor = Reflect.getOwnPropertyDescriptor(value, i)
      if (descriptor && 'value' in descriptor) visit(`Array[${i}]`, descriptor.value)
    }
  } else if (types.isMap(value)) {
    let i = 0
    for (const [key, child] of mapEntries.call(value) as IterableIterator<[unknown, unknown]>) {
      if (typeof key === 'object' && key !== null) visit(`Map key #${i}`, key)
      visit(`Map value ${keyText(key, i)}`, child)
      i++
    }
  } else if (types.isSet(value)) {
    let i = 0
    for (const child of setValues.call(value) as IterableIterator<unknown>) visit(`Set element #${i++}`, child)
  } else if (
    types.isWeakMap(value) || types.isWeakSet(value) || types.isPromise(value) || types.isAnyArrayBuffer(value) ||
    types.isArrayBufferView(value) || types.isDate(value) || types.isRegExp(value) || types.isBoxedPrimitive(value)
  ) {
    return
  } else {
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key)
      if (descriptor && 'value' in descriptor) visit(propertyText(key), descriptor.value)
    }
  }
}

/**
 * Finds a shortest path from the sources to each target. Returns the path text per target found; targets the walk
 * did not reach within its budget are absent.
 */
export function findPaths(targets: readonly object[], sources: Iterable<PathSource>, options: WalkOptions): Map<object, string> {
  const wanted = new Set(targets)
  const found = new Map<object, string>()
  // Parallel arrays: a node's value, the index of its parent (-1 for a source) and the label of the edge that reached it.
  const nodes: object[] = []
  const parents: number[] = []
  const labels: string[] = []
  const seen = new Set<object>()

  const pathOf = (index: number): string => {
    const steps: string[] = []
    for (let i = index; i !== -1; i = parents[i]) steps.push(labels[i])
    return steps.reverse().join(' → ')
  }
  const enqueue = (value: unknown, parent: number, label: string): void => {
    if ((typeof value !== 'object' || value === null) && typeof value !== 'function') return
    if (seen.has(value) || nodes.length >= options.budget) return
    seen.add(value)
    if (options.skip(value)) return
    nodes.push(value)
    parents.push(parent)
    labels.push(label)
    if (wanted.has(value) && !found.has(value)) found.set(value, pathOf(nodes.length - 1))
  }

  // Level by level, so that hidden edges (closures, private fields) are asked for a whole level in one batch.
  for (const source of sources) enqueue(source.value, -1, source.label)
  let level = 0
  while (level < nodes.length && found.size < wanted.size) {
    const end = nodes.length
    const expandable: number[] = []
    for (let i = level; i < end && found.size < wanted.size; i++) {
      // Another library's Proxy is a leaf: listing its keys would run its traps.
      if (types.isProxy(nodes[i])) continue
      try {
        children(nodes[i], (label, child) => enqueue(child, i, label))
        if (options.hidden !== undefined && mayHideEdges(nodes[i])) expandable.push(i)
      } catch {
        // A module namespace in its temporal dead zone, a revoked Proxy target, an exotic host object: no children.
      }
    }
    if (options.hidden !== undefined && expandable.length > 0 && found.size < wanted.size) {
      const edges = options.hidden.edgesOf(expandable.map((i) => nodes[i]))
      expandable.forEach((i, k) => {
        for (const [label, child] of edges[k]) enqueue(child, i, label)
      })
    }
    level = end
  }
  return found
}

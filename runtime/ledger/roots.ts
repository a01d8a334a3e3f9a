/**
 * Roots of the retention path search: top-level bindings of included files (registered by the caller) and the globals the
 * suite added. Globals that existed when the ledger was made — Node's, Vitest's, the environment's — are not roots: a
 * path through Vitest's own state (tasks, module cache, test contexts) is Vitest's bookkeeping, not the test's leak.
 */
import { isInternalGlobal, isMaterialized, globalLabel } from './globals.ts'
import type { ModuleRoot } from './types.ts'

/** Stands for the getter of a lazy global that is gone (only its presence matters to `isMaterialized`). */
const lazyGetter = (): undefined => undefined

/** A place the path search starts from. */
export interface PathSource {
  /** ``module binding `seen` (tests/a.test.ts:3)`` or `globalThis.cache`. */
  label: string
  value: unknown
}

function read(root: ModuleRoot): unknown {
  try {
    return root.get()
  } catch {
    // In its temporal dead zone (the module has not reached the declaration yet): nothing to hold.
    return undefined
  }
}

/** How a root is named in findings: ``module binding `seen` (tests/a.test.ts:3)``. */
export function rootLabel(root: ModuleRoot): string {
  return `module binding \`${root.name}\` (${root.file}:${root.line})`
}

/** The registry of roots. */
export class Roots {
  private readonly files = new Map<string, ModuleRoot[]>()
  private pending: ModuleRoot[] = []
  // The globals at construction, by key; object values are held weakly (a deleted global must be free to go).
  // `accessor` marks Node's lazily created web globals (accessors until first read), whose getter is soon garbage.
  private readonly baseline = new Map<PropertyKey, ({ weak: WeakRef<object> } | { value: unknown }) & { accessor: boolean }>()

  constructor() {
    for (const key of Reflect.ownKeys(globalThis)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(globalThis, key)
      const value: unknown = descriptor && 'value' in descriptor ? descriptor.value : descriptor?.get
      const weak = (typeof value === 'object' && value !== null) || typeof value === 'function'
      const accessor = descriptor?.get !== undefined
      this.baseline.set(key, weak ? { weak: new WeakRef(value), accessor } : { value, accessor })
    }
  }

  /** Registers a top-level binding of an included file. */
  add(root: ModuleRoot): void {
    const list = this.files.get(root.file)
    if (list) list.push(root)
    else this.files.set(root.file, [root])
    this.pending.push(root)
  }

  /** Forgets the roots of a file (when its module instance is thrown away, so the ledger does not keep it alive). */
  remove(file: string): void {
    this.files.delete(file)
    this.pending = this.pending.filter((root) => root.file !== file)
  }

  /** Roots registered since the last call, with their current values: module-owned by design. */
  takePending(): { root: ModuleRoot; value: unknown }[] {
    const taken = this.pending.map((root) => ({ root, value: read(root) }))
    this.pending = []
    return taken
  }

  /** The name of a top-level binding of `file` whose value is `value`, if one is (read only when a hint needs it). */
  nameOf(file: string, value: unknown): string | undefined {
    return this.files.get(file)?.find((root) => read(root) === value)?.name
  }

  /** The current values of the roots of `file` (none when its file registered none: it was not transformed). */
  of(file: string): { root: ModuleRoot; value: unknown }[] {
    const list = this.files.get(file)
    return list === undefined ? [] : list.map((root) => ({ root, value: read(root) }))
  }

  /** The number of registered roots. */
  get size(): number {
    let n = 0
    for (const list of this.files.values()) n += list.length
    return n
  }

  /** Every root's current value: module bindings in registration order, then the globals the suite added or replaced. */
  *sources(): Generator<PathSource> {
    for (const list of this.files.values()) {
      for (const root of list) yield { label: rootLabel(root), value: read(root) }
    }
    for (const key of Reflect.ownKeys(globalThis)) {
      if (isInternalGlobal(key)) continue
      const descriptor = Reflect.getOwnPropertyDescriptor(globalThis, key)
      if (descriptor === undefined || !('value' in descriptor)) continue
      const old = this.baseline.get(key)
      if (old !== undefined && Object.is('weak' in old ? old.weak.deref() : old.value, descriptor.value)) continue
      // Node replaced its lazy accessor with the built-in it creates (`AbortController` on first use): Node's, not the suite's.
      if (old?.accessor === true && isMaterialized(key, { get: lazyGetter }, descriptor)) continue
      yield { label: globalLabel(key), value: descriptor.value }
    }
  }
}

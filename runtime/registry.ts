/**
 * The registry of tracked instances: what each instrumented factory returned and each marked binding held, with the scope
 * (a test, or module scope) that created it. The leak ledger builds on it.
 *
 * It holds instances only weakly (a `WeakMap` keyed by the instance), so tracking never keeps an object alive.
 */
import type { SourcePlace } from './location.ts'
import type { TestInfo } from './types.ts'

/** Where a tracked instance came from. */
export interface InstanceOrigin {
  /** The resource name, or `binding:<name>` for a marked binding's value. */
  resource: string
  /** A readable label, `<constructor name>#<n>` (`Scheme#2`), numbered per constructor name in this worker. */
  label: string
  /** The test that created it; `null` for module scope. */
  test: TestInfo | null
  /** Where the creating call was made, when the stack shows it. */
  place: SourcePlace | undefined
}

/** Called for every recorded instance (the ledger subscribes); must not keep `instance` alive beyond the test. */
export type RecordListener = (instance: object, origin: InstanceOrigin) => void

function constructorName(value: object): string {
  if (typeof value === 'function') return value.name || 'Function'
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null
  const name = proto?.constructor?.name
  return typeof name === 'string' && name !== '' ? name : 'Object'
}

/** Origins of tracked instances, keyed weakly by the instance. */
export class InstanceRegistry {
  readonly #origins = new WeakMap<object, InstanceOrigin>()
  readonly #counters = new Map<string, number>()
  readonly #listeners = new Set<RecordListener>()

  /** Records `value` (ignored unless it is an object or function) as created by `test` (or module scope) for `resource`. */
  record(resource: string, value: unknown, test: TestInfo | null, place: SourcePlace | undefined): void {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return
    // The first record wins: a factory that returns a shared (cached) object does not move its origin.
    if (this.#origins.has(value)) return
    const name = constructorName(value)
    const count = (this.#counters.get(name) ?? 0) + 1
    this.#counters.set(name, count)
    const origin: InstanceOrigin = { resource, label: `${name}#${count}`, test, place }
    this.#origins.set(value, origin)
    for (const listener of this.#listeners) listener(value, origin)
  }

  /** The origin of `value`, if an instrumented factory or a marked binding produced it. */
  originOf(value: unknown): InstanceOrigin | undefined {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined
    return this.#origins.get(value)
  }

  /** Subscribes to new records; returns the unsubscribe function. */
  onRecord(listener: RecordListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}

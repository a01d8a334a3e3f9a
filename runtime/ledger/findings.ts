/**
 * The findings a ledger has made, each once per distinct object, origin and observing scope. Keys are strings built from
 * stamp ids and scope ids, so the store holds no user object; it grows with findings only, never with clean tests.
 */
import type { Finding, Place } from '../report/types.ts'
import type { Owner } from './types.ts'

/** Identifies an origin in a dedupe key. */
export function placeKey(place: Place): string {
  return `${place.file}\u0001${place.test ?? ''}\u0001${place.line ?? ''}`
}

/** Collects findings, drops repeats, and hands each new one to the listener. */
export class FindingStore {
  private readonly keys = new Set<string>()
  private readonly list: Finding[] = []

  constructor(private readonly listener: ((finding: Finding, observer: Owner) => void) | undefined) {}

  /** True when a finding with this key was already made. */
  has(key: string): boolean {
    return this.keys.has(key)
  }

  /** Records a finding unless its key was seen; returns whether it was new. */
  add(key: string, finding: Finding, observer: Owner): boolean {
    if (this.keys.has(key)) return false
    this.keys.add(key)
    this.list.push(finding)
    this.listener?.(finding, observer)
    return true
  }

  /** Every finding made so far, in the order they were made (copies: callers may not change the store). */
  all(): Finding[] {
    return this.list.map((finding) => structuredClone(finding))
  }

  /** How many findings were made. */
  get size(): number {
    return this.list.length
  }
}

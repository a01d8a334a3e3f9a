/**
 * `retained`: objects of a finished test still alive after a forced garbage collection.
 *
 * When a test's objects are checked matters. `let client; beforeEach(() => { client = newFakeClient() })` keeps the
 * previous test's client alive until the next test's `beforeEach` replaces it — a common, clean pattern. So a test's
 * objects become *checkable* only once a later test of the same file has started after it finished and has itself
 * finished; the objects of a file's last test are never checked (nothing proves they would have been let go).
 */
import { collectGarbageSoon, gcClock, lastFullCollection, watchFullCollections } from './gc.ts'
import type { Candidate, OwnerState } from './owners.ts'

/** An object of a finished test still alive after a full collection, with the candidate that tracked it. */
export interface Survivor {
  value: object
  candidate: Candidate
  owner: OwnerState
}

/** A finished test whose objects can be checked, and since when (on the `gcClock()`). */
interface Checkable {
  state: OwnerState
  since: number
}

/** The per-file queue of finished tests and their weak candidates. */
export class Retention {
  private readonly waiting = new Map<string, OwnerState[]>()
  private checkable: Checkable[] = []

  constructor() {
    watchFullCollections()
  }

  /** Notes a weak reference to an object `owner` owns. */
  add(owner: OwnerState, value: object, stamp: { owner: OwnerState }): void {
    ;(owner.candidates ??= []).push({ ref: new WeakRef(value), stamp })
  }

  /** A test finished: earlier tests of its file that finished before it started become checkable; it waits. */
  finished(state: OwnerState): void {
    const queue = this.waiting.get(state.file) ?? []
    const still: OwnerState[] = []
    const now = gcClock()
    for (const earlier of queue) {
      if (earlier.end < state.start) this.checkable.push({ state: earlier, since: now })
      else still.push(earlier)
    }
    if (state.candidates !== undefined) still.push(state)
    if (still.length > 0) this.waiting.set(state.file, still)
    else this.waiting.delete(state.file)
  }

  /** A file is done: its tests that never became checkable are dropped (with their candidates). */
  fileFinished(file: string): void {
    for (const state of this.waiting.get(file) ?? []) state.candidates = undefined
    this.waiting.delete(file)
  }

  /** Drops the candidates of one scope (it will not be checked). */
  release(state: OwnerState): void {
    state.candidates = undefined
    this.checkable = this.checkable.filter((c) => c.state !== state)
    const queue = this.waiting.get(state.file)
    if (queue !== undefined) this.waiting.set(state.file, queue.filter((s) => s !== state))
  }

  /** How many finished tests hold candidates (waiting or checkable); for the invariant harness and the bench. */
  get pending(): number {
    let n = this.checkable.length
    for (const queue of this.waiting.values()) n += queue.length
    return n
  }

  /**
   * Returns the checkable tests' objects that are still alive after a full collection, then forgets those tests.
   *
   * With `collect`, every checkable test is checked after one forced collection, in a new macrotask: a `deref` (or
   * `new WeakRef`) pins its target until the end of its job, and every candidate was last touched in an earlier job (its
   * test's), so nothing here is pinned. Without, no collection is forced: only the tests that became checkable before
   * V8's last full collection started are checked (what they let go is gone by now); the others wait for a later check.
   */
  async survivors(collect = true): Promise<Survivor[]> {
    let batch = this.checkable
    if (collect) {
      this.checkable = []
    } else {
      const since = lastFullCollection()
      batch = batch.filter((c) => c.since < since)
      if (batch.length > 0) this.checkable = this.checkable.filter((c) => c.since >= since)
    }
    const candidates: { candidate: Candidate; owner: OwnerState }[] = []
    for (const { state: owner } of batch) {
      for (const candidate of owner.candidates ?? []) {
        // Ownership moves to module scope when the ledger learns an object is shared by design; it is not the test's then.
        if (candidate.stamp.owner === owner) candidates.push({ candidate, owner })
      }
      owner.candidates = undefined
    }
    if (candidates.length === 0) return []
    if (collect) await collectGarbageSoon()
    const survivors: Survivor[] = []
    for (const { candidate, owner } of candidates) {
      const value = candidate.ref.deref()
      if (value !== undefined) survivors.push({ value, candidate, owner })
    }
    return survivors
  }
}

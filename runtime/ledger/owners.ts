/**
 * Owner states and the ledger's logical clock.
 *
 * Whether two tests "ran at the same time" is decided on the order of start and finish events, not on wall-clock time:
 * two sequential tests often start and finish within the same millisecond, and a clock tick per event has no ties.
 */
import type { Place } from '../report/types.ts'
import type { CallSite, Owner } from './types.ts'

/** A weak reference to an object a scope owns, checked by the retention pass after the scope finished. */
export interface Candidate {
  ref: WeakRef<object>
  /** The object's ownership record; `owner` moves to module scope when the ledger learns the object is shared by design. */
  stamp: { owner: OwnerState }
}

/** How a test first handed an object to its own instance: `client.create`. */
export interface Passed {
  readonly through: string
  readonly member: PropertyKey
}

/** The ledger's view of one scope attempt: identity, interval on the logical clock, retention candidates. Holds no user objects. */
export class OwnerState {
  readonly kind: 'test' | 'module'
  readonly id: string
  readonly file: string
  readonly test: string | null
  readonly isolated: boolean
  readonly start: number
  /** The caller's owner, read for `line` and `column` only when a place is made (its caller may find them lazily). */
  readonly #scope: Owner
  /** Logical time of the finish event; `Infinity` while running (module scopes never finish). */
  end = Infinity
  /** Another test ran during this one's interval. */
  overlapped = false
  /** Weak references to this scope's objects, until the retention pass checks or drops them. */
  candidates: Candidate[] | undefined = undefined
  /**
   * While a test whose file's module values were all walked at its start runs: the objects without a stamp it handed to
   * its own instances, and how (a weak map of its own, dropped at its end), and how many.
   */
  passed: WeakMap<object, Passed> | undefined = undefined
  passedCount = 0

  constructor(scope: Owner, start: number) {
    this.kind = scope.kind
    this.id = scope.id
    this.file = scope.file
    this.test = scope.kind === 'module' ? null : scope.test
    this.isolated = scope.isolated
    this.#scope = scope
    this.start = start
  }

  /** Where the scope is declared (a test's line), when known. */
  get line(): number | undefined {
    return this.#scope.line
  }

  get column(): number | undefined {
    return this.#scope.column
  }

  /** A place in this scope: at `site` when the call site is known, else where the test is declared. */
  place(operation?: string, site?: CallSite): Place {
    const place: Place = { file: this.file, test: this.test }
    const line = site?.line ?? this.line
    if (line !== undefined) place.line = line
    const column = site ? site.column : this.column
    if (line !== undefined && column !== undefined) place.column = column
    if (operation !== undefined) place.operation = operation
    return place
  }
}

/** True when the intervals of two scope attempts intersect (a running scope's interval is open). */
export function overlaps(a: OwnerState, b: OwnerState): boolean {
  return a.start < b.end && b.start < a.end
}

/** Every scope the ledger knows by id, the running tests, and the clock. */
export class Owners {
  private clock = 0
  private readonly byId = new Map<string, OwnerState>()
  private readonly running = new Set<OwnerState>()
  // An Owner object the caller passes may be its whole per-test slot: it is only ever a WeakMap key here.
  private readonly byObject = new WeakMap<Owner, OwnerState>()

  /** Starts a new attempt of a test: a fresh interval, marked overlapped with every test still running. */
  started(scope: Owner): OwnerState {
    // A scope seen (through `current`) before its start was announced is already running: that is this attempt.
    const seen = this.byId.get(scope.id)
    const state = seen !== undefined && seen.end === Infinity ? seen : this.create(scope)
    this.byObject.set(scope, state)
    return state
  }

  /** Ends the current attempt of a test; `undefined` when it never started. */
  finished(scope: Owner): OwnerState | undefined {
    const state = this.byObject.get(scope) ?? this.byId.get(scope.id)
    if (state === undefined || state.end !== Infinity) return undefined
    state.end = ++this.clock
    this.running.delete(state)
    if (this.byId.get(scope.id) === state) this.byId.delete(scope.id)
    return state
  }

  /** The state of a scope, created on first sight (a test the caller did not announce counts as running from now). */
  of(scope: Owner): OwnerState {
    const known = this.byObject.get(scope)
    if (known !== undefined) return known
    const state = this.byId.get(scope.id) ?? this.create(scope)
    this.byObject.set(scope, state)
    return state
  }

  /** The module scope of a file. */
  module(file: string): OwnerState {
    const id = `module:${file}`
    return this.byId.get(id) ?? this.create({ kind: 'module', file, test: null, id, isolated: false })
  }

  /** How many scopes the ledger holds by id (running tests and module scopes); for the invariant harness and the bench. */
  get size(): number {
    return this.byId.size
  }

  private create(scope: Owner): OwnerState {
    const state = new OwnerState(scope, ++this.clock)
    this.byId.set(scope.id, state)
    if (state.kind === 'test') {
      for (const other of this.running) {
        other.overlapped = true
        state.overlapped = true
      }
      this.running.add(state)
    }
    return state
  }
}

/**
 * Objects that travel through module variables — the controller-runtime trap: test A makes an object, hands it to its
 * own tracked instance (`client.create(obj)`, which changes it: the fake client sets its resourceVersion) and leaves it
 * in a module variable (`saved = obj`); test B passes `saved` into its own instance (whose `create` then fails).
 *
 * The ledger cannot see when an object was made, and an argument may as well be a helper module's constant that every
 * test passes. So an argument is A's only when A's file's module values (its roots, up to three levels into arrays and
 * plain objects) say so:
 * - at a test's start they are walked, and what they hold without a stamp becomes the module's: it existed before the test
 *   (made at module scope, in `beforeAll`, or left there by an earlier test);
 * - while the test runs, the arguments without a stamp it hands to its own instances are remembered, in a weak map of
 *   the test's own (dropped when it ends: one long-lived weak map with an entry per passed object would make every
 *   collection slower, and the tracked call with it);
 * - at its end they are walked again, and what the test passed that they now hold, still without a stamp, is stamped
 *   `traveled`: not there when the test started, left there when it ended. Another test that passes it on (or gets it back)
 *   is a `foreign-object`. What did not travel gets no stamp, so a helper's constant that a function hands out stays
 *   nobody's.
 * A test that overlapped another stamps nothing: which of them made the object cannot be told.
 */
import type { OwnerState, Passed } from './owners.ts'
import { rootLabel, type Roots } from './roots.ts'
import { isStampable, membersOf, Stamp } from './stamps.ts'

/** How deep into a module root's value objects count as the module's own (a fixture table of objects, say). */
export const MODULE_DEPTH = 3
// Objects one walk visits at most: a file whose module values hold more is not followed (its tests stamp nothing).
const WALK_BUDGET = 1_000
// Distinct objects remembered per test: a test that passes more in is followed for the first ones only.
const PASSED_CAP = 1_024

/**
 * Visits every object up to `MODULE_DEPTH` levels inside the values of `entries` (level 1: the values), breadth first so
 * each is visited once, at its lowest level, with the index of the entry it was reached from. Returns false when the
 * budget ran out before the walk was complete.
 */
export function walkModuleValues(entries: readonly { value: unknown }[], visit: (object: object, from: number) => void, budget = WALK_BUDGET): boolean {
  const seen = new Set<object>()
  // One level at a time, as two parallel arrays: the objects and the index of the entry each was reached from.
  let objects: object[] = []
  let froms: number[] = []
  for (let i = 0; i < entries.length; i++) {
    const value = entries[i].value
    if (typeof value !== 'object' || value === null || seen.has(value)) continue
    seen.add(value)
    objects.push(value)
    froms.push(i)
  }
  for (let depth = 1; objects.length > 0; depth++) {
    const nextObjects: object[] = []
    const nextFroms: number[] = []
    for (let k = 0; k < objects.length; k++) {
      if (seen.size > budget) return false
      visit(objects[k], froms[k])
      if (depth === MODULE_DEPTH) continue
      const members = membersSafely(objects[k])
      for (let m = 0; m < members.length; m++) {
        if (seen.has(members[m])) continue
        seen.add(members[m])
        nextObjects.push(members[m])
        nextFroms.push(froms[k])
      }
    }
    objects = nextObjects
    froms = nextFroms
  }
  return true
}

/** `membersOf`, but a module namespace whose binding is still in its temporal dead zone has none (reading it throws). */
function membersSafely(object: object): readonly object[] {
  try {
    return membersOf(object, true)
  } catch {
    return []
  }
}

/** Remembers that a running test handed `value` (without a stamp) to its own instance, the first time it does. */
export function rememberPassed(state: OwnerState, passed: WeakMap<object, Passed>, value: object, through: string, member: PropertyKey): void {
  if (state.passedCount < PASSED_CAP && !passed.has(value)) {
    passed.set(value, { through, member })
    state.passedCount++
  }
}

/** What the walks need from the ledger. */
export interface TravelDeps {
  stamps: WeakMap<object, Stamp>
  roots: Roots
  module(file: string): OwnerState
}

/** The walks of a test's file's module values at its start and end. */
export class Travel {
  /** Files whose module values outgrew the walk's budget. */
  private readonly unfollowed = new Set<string>()

  constructor(private readonly deps: TravelDeps) {}

  /** A test started: what its file's module values hold is the module's; the test is followed when all was walked. */
  started(state: OwnerState): void {
    if (this.unfollowed.has(state.file)) return
    const entries = this.deps.roots.of(state.file)
    if (entries.length === 0) return
    const { stamps } = this.deps
    let module: OwnerState | undefined
    const complete = walkModuleValues(entries, (object) => {
      if (!stamps.has(object) && isStampable(object)) {
        stamps.set(object, new Stamp((module ??= this.deps.module(state.file)), 'module', undefined, undefined, undefined))
      }
    })
    if (complete) state.passed = new WeakMap()
    else this.unfollowed.add(state.file)
  }

  /** A test ended: what it passed in that its file's module values hold now traveled. */
  finished(state: OwnerState): void {
    const passed = state.passed
    state.passed = undefined
    if (passed === undefined || state.passedCount === 0 || state.overlapped) return
    const entries = this.deps.roots.of(state.file)
    const { stamps } = this.deps
    // Within the budget, or not: what is found is held there (it is the rest that is not known).
    walkModuleValues(entries, (object, from) => {
      const first = passed.get(object)
      if (first === undefined || stamps.has(object) || !isStampable(object)) return
      const stamp = new Stamp(state, 'traveled', first.through, first.member, undefined)
      stamp.heldBy = rootLabel(entries[from].root)
      stamps.set(object, stamp)
    })
  }

  /** A test's attempt ends without being followed to its end (released): what it passed is let go. */
  released(state: OwnerState): void {
    state.passed = undefined
  }
}

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
 * - an argument without a stamp that a test hands to its own instance is stamped `passed` by it: nobody's yet;
 * - at the test's end they are walked again, and its `passed` objects found there become `traveled`: not there when the
 *   test started, and left there when it ended;
 * - another test that passes a `traveled` object on is reported (`foreign-object`); a `passed` object of a finished test
 *   that did not travel becomes the module's (a helper's constant that a function hands out, say), never a finding.
 */
import type { OwnerState } from './owners.ts'
import { rootLabel, type Roots } from './roots.ts'
import { isStampable, membersOf, Stamp } from './stamps.ts'

/** How deep into a module root's value objects count as the module's own (a fixture table of objects, say). */
export const MODULE_DEPTH = 3
// Objects one walk visits at most: a file whose module values hold more is not followed (its tests stamp nothing `passed`).
const WALK_BUDGET = 2_000

/**
 * Visits every object up to `MODULE_DEPTH` levels inside the values of `entries` (level 1: the values), breadth first so
 * each is visited once, at its lowest level, with the index of the entry it was reached from. Returns false when the
 * budget ran out before the walk was complete.
 */
export function walkModuleValues(entries: readonly { value: unknown }[], visit: (object: object, from: number) => void, budget = WALK_BUDGET): boolean {
  const seen = new Set<object>()
  let level: { object: object; from: number }[] = []
  for (let i = 0; i < entries.length; i++) {
    const value = entries[i].value
    if (typeof value === 'object' && value !== null && !seen.has(value)) {
      seen.add(value)
      level.push({ object: value, from: i })
    }
  }
  for (let depth = 1; level.length > 0; depth++) {
    const next: { object: object; from: number }[] = []
    for (const { object, from } of level) {
      if (seen.size > budget) return false
      visit(object, from)
      if (depth === MODULE_DEPTH) continue
      for (const member of membersSafely(object)) {
        if (seen.has(member)) continue
        seen.add(member)
        next.push({ object: member, from })
      }
    }
    level = next
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

/** A `passed` stamp of a test that has ended without its object traveling: the module's from now on. */
export function settle(stamp: Stamp, module: (file: string) => OwnerState): void {
  if (stamp.owner.end === Infinity) return
  stamp.owner = module(stamp.owner.file)
  stamp.via = 'module'
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

  /** A test started: what its file's module values hold is the module's; the test is traceable when all was walked. */
  started(state: OwnerState): void {
    if (this.unfollowed.has(state.file)) return
    const entries = this.deps.roots.of(state.file)
    if (entries.length === 0) return
    const { stamps } = this.deps
    let module: OwnerState | undefined
    const complete = walkModuleValues(entries, (object) => {
      const stamp = stamps.get(object)
      if (stamp === undefined) {
        if (isStampable(object)) stamps.set(object, new Stamp((module ??= this.deps.module(state.file)), 'module', undefined, undefined, undefined))
      } else if (stamp.via === 'passed') {
        settle(stamp, this.deps.module)
      }
    })
    if (complete) state.traceable = true
    else this.unfollowed.add(state.file)
  }

  /** A test ended: its `passed` objects that its file's module values hold now traveled. */
  finished(state: OwnerState): void {
    if (!state.passed) return
    const entries = this.deps.roots.of(state.file)
    const { stamps } = this.deps
    // Within the budget, or not: what is found is held there (it is the rest that is not known).
    walkModuleValues(entries, (object, from) => {
      const stamp = stamps.get(object)
      if (stamp === undefined || stamp.via !== 'passed' || stamp.owner !== state) return
      stamp.via = 'traveled'
      stamp.heldBy = rootLabel(entries[from].root)
    })
  }
}

/**
 * Sightings: a scope using a tracked instance, or an object crossing one. This is where `shared-instance` and
 * `foreign-object` findings are decided, on the hot path of every tracked call — so the common case (the owner using its
 * own instance) costs one scope lookup and one comparison, and stacks are captured only for new findings.
 */
import type { Finding, Place } from '../report/types.ts'
import type { FindingStore } from './findings.ts'
import { foreignHint, moduleInstanceHint, testInstanceHint, traveledHint } from './hints.ts'
import { constructorName, kubeLabel, operationName, type Labels } from './labels.ts'
import { hideTopFrames } from './frames.ts'
import type { InstanceSink, TrackedInstance } from './observe.ts'
import { overlaps, type OwnerState } from './owners.ts'
import { isStampable, membersOf, type Stamp, type Via } from './stamps.ts'
import { rememberPassed } from './travel.ts'
import type { CallSite, Owner } from './types.ts'

// Module-local: a call through an import namespace costs a property read per call when Vite inlines this module.
const members = membersOf
const then = Promise.prototype.then
const NONE: readonly object[] = Object.freeze([])

/** What sightings need from the ledger. */
export interface SightingDeps {
  current(): OwnerState | undefined
  callSite(file: string): CallSite | undefined
  store: FindingStore
  labels: Labels
  instances: WeakMap<object, TrackedInstance>
  stamps: WeakMap<object, Stamp>
  stamp(value: object, owner: OwnerState, via: Via, through: string, member: PropertyKey): Stamp
  module(file: string): OwnerState
  /** The top-level binding of `file` that holds `value` (`scheme` of `const scheme = newScheme()`), for hints. */
  bindingOf(value: object, file: string): string | undefined
  /** Whether markers work in `file`. */
  markable(file: string): boolean
}

// Distinct tests remembered per module-scope object; later ones are still reported, deduplicated by the store.
const USER_CAP = 64

/** Decides findings from uses and crossings; the sink of every tracked instance. */
export class Sightings implements InstanceSink {
  constructor(private readonly deps: SightingDeps) {}

  call(record: TrackedInstance, member: PropertyKey, fn: (...args: unknown[]) => unknown, self: unknown, args: unknown[]): unknown {
    const observer = this.deps.current()
    if (observer === undefined) return Reflect.apply(fn, self, args)
    this.sighting(record.target, record.stamp, observer, record, member)
    // What each object argument held before the call, by position: only kept when there is something inside.
    let passed: (readonly object[])[] | undefined
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]
      if (typeof arg !== 'object' || arg === null) continue
      const inner = this.argument(arg, observer, record, member)
      if (inner.length > 0) (passed ??= [])[i] = inner
    }
    const result: unknown = Reflect.apply(fn, self, args)
    if (typeof result !== 'object' || result === null) return result
    if (Reflect.getPrototypeOf(result) === Promise.prototype) {
      // The caller gets the promise itself; what it resolves to is stamped on the side. Only plain promises: `then` of a
      // subclass or a thenable is user code (a lazy query builder starts its query). The side chain handles a rejection
      // (never an unhandled one of ours) and takes our frames off its stack before the caller's handlers see it.
      Reflect.apply(then, result, [
        (value: unknown) => {
          if (typeof value === 'object' && value !== null) this.returned(value, args, passed, observer, record, member)
        },
        hideTopFrames,
      ])
      return result
    }
    this.returned(result, args, passed, observer, record, member)
    return result
  }

  /** An argument crossed `record`: it and its members are checked against their stamps; returns its members. */
  private argument(value: object, observer: OwnerState, record: TrackedInstance, member: PropertyKey): readonly object[] {
    this.cross(value, observer, record, member, 'argument', true)
    if (this.deps.instances.has(value)) return NONE
    // With `lists`: a list passed in to be filled (`client.list(list)`) has its items checked, and compared after the call.
    const inner = members(value, true)
    for (let i = 0; i < inner.length; i++) this.cross(inner[i], observer, record, member, 'argument', false)
    return inner
  }

  /**
   * A call returned `value`. A new object is the instance's output: stamped (with its members) for the observer. An
   * argument handed back (`create(obj)` returning `obj`) is still the caller's — a helper module's constant must not
   * become the first caller's — and only what the call put inside it (`list.items` of `list(list)`) is output.
   */
  private returned(value: object, args: unknown[], passed: (readonly object[])[] | undefined, observer: OwnerState, record: TrackedInstance, member: PropertyKey): void {
    const index = args.indexOf(value)
    if (index === -1) {
      this.cross(value, observer, record, member, 'result', true)
      return
    }
    const before = passed?.[index] ?? NONE
    const inner = members(value, true)
    for (let i = 0; i < inner.length; i++) {
      if (!before.includes(inner[i])) this.cross(inner[i], observer, record, member, 'result', false)
    }
  }

  /**
   * `observer` used an owned object (`record` is the tracked instance used, when there is one; `operation` overrides
   * the reported operation). A test-owned object used by another test is shared; a module-owned one when a second test uses it.
   */
  sighting(value: object, stamp: Stamp, observer: OwnerState, record?: TrackedInstance, member?: PropertyKey, operation?: string): void {
    if (observer.kind !== 'test' || stamp.lastUser === observer) return
    const owner = stamp.owner
    stamp.lastUser = observer
    if (owner.id === observer.id) return
    const op = operation ?? (record !== undefined && member !== undefined ? operationName(record.name, member) : undefined)
    if (owner.kind === 'test') {
      this.shared(value, stamp, observer, undefined, overlaps(owner, observer), op)
      return
    }
    const users = (stamp.users ??= [])
    if (users.some((user) => user.state.id === observer.id)) return
    const place = observer.place(op, this.deps.callSite(observer.file))
    if (users.length === 0) {
      users.push({ state: observer, place })
      return
    }
    const concurrent = users.some((user) => overlaps(user.state, observer))
    const first = users[0]
    if (users.length < USER_CAP) users.push({ state: observer, place })
    this.shared(value, stamp, first.state, first.place, overlaps(first.state, observer), op)
    this.shared(value, stamp, observer, place, concurrent, op)
  }

  /** An object owned by another scope was declared owned again (a marked binding's initializer returned it). */
  sharedValue(value: object, stamp: Stamp, observer: OwnerState, resource: string | undefined): void {
    this.sighting(value, stamp, observer, undefined, undefined, resource ? `${resource.replace(/^binding:/, '')} initializer` : undefined)
  }

  /** The label of an object in findings: its Kubernetes identity, else `Class#n` fixed at its first finding. */
  label(value: object, stamp: Stamp): string {
    return kubeLabel(value) ?? (stamp.label ??= this.deps.labels.next(constructorName(value)))
  }

  /** The caller-facing copy of a scope state. */
  ownerOf(state: OwnerState): Owner {
    const scope: Owner = { kind: state.kind, file: state.file, test: state.test, id: state.id, isolated: state.isolated }
    if (state.line !== undefined) scope.line = state.line
    if (state.column !== undefined) scope.column = state.column
    return scope
  }

  private shared(value: object, stamp: Stamp, observer: OwnerState, place: Place | undefined, concurrent: boolean, op: string | undefined): void {
    const key = `shared-instance\u0000${stamp.id}\u0000${observer.id}`
    if (this.deps.store.has(key)) return
    const finding: Finding = {
      kind: 'shared-instance',
      concurrent,
      object: this.label(value, stamp),
      origin: stamp.origin(),
      observedIn: [place ?? observer.place(op, this.deps.callSite(observer.file))],
      hint: stamp.owner.kind === 'module' ? this.moduleHint(value, stamp) : testInstanceHint(stamp.resource),
    }
    if (stamp.resource !== undefined) finding.resource = stamp.resource
    this.deps.store.add(key, finding, this.ownerOf(observer))
  }

  /**
   * An object crossed `record` (passed in or returned) while `observer` ran; `top` when it is the argument or result itself
   * (not one of its members): a result's members are then visited once. A result without a stamp becomes the observer's;
   * an argument is checked against the stamp it carries, and remembered until the test ends when it has none.
   */
  private cross(value: object, observer: OwnerState, record: TrackedInstance, member: PropertyKey, via: Via, top: boolean): void {
    const tracked = this.deps.instances.get(value)
    if (tracked !== undefined) {
      // Passing a tracked instance around uses it.
      if (tracked !== record) this.sighting(tracked.target, tracked.stamp, observer, undefined, undefined, operationName(record.name, member))
      return
    }
    const stamp = this.deps.stamps.get(value)
    if (stamp === undefined) {
      // Only what a test's *own* instance returns becomes the test's. An argument is the caller's object, which may be
      // shared by design — a helper module's `export const key = { namespace: 'default' }` passed by every test must
      // never become one test's (zero false positives) — and what a shared or another test's instance returns may be
      // state it held before this test began. Members are still checked below: one may carry another test's stamp.
      if (via === 'result') {
        if (isStampable(value) && (observer.kind !== 'test' || record.stamp.owner.id === observer.id)) {
          const owner = observer.kind === 'test' ? observer : this.deps.module(observer.file)
          this.deps.stamp(value, owner, observer.kind === 'test' ? via : 'module', record.name, member)
        }
      } else if (top && observer.passed !== undefined && record.stamp.owner.id === observer.id) {
        // Handed to the test's own instance: the test's only if it is in its file's module values at its end (`travel.ts`).
        rememberPassed(observer, observer.passed, value, record.name, member)
      }
    } else if (observer.kind === 'test' && stamp.owner.kind === 'test' && stamp.owner.id !== observer.id) {
      if (stamp.via === 'result' && via === 'result' && record.stamp.owner.id === observer.id) {
        // The observer's own instance returns what another test's instance returned: state of a library module, shared
        // by design (a registry's constant, say). It belongs to no test.
        stamp.owner = this.deps.module(observer.file)
        stamp.via = 'module'
      } else {
        this.foreign(value, stamp, observer, operationName(record.name, member))
      }
    }
    if (!top || via !== 'result') return
    const inner = members(value, via === 'result')
    for (let i = 0; i < inner.length; i++) this.cross(inner[i], observer, record, member, via, false)
  }

  /** The hint for a module-scope instance: the binding that holds it, else where the test file made it (never a helper's). */
  private moduleHint(value: object, stamp: Stamp): string {
    const file = stamp.owner.file
    if (!this.deps.markable(file)) return moduleInstanceHint(stamp.resource, undefined)
    const at = stamp.where
    const declaredAt = at?.file === file && at.line !== undefined ? `${file}:${at.line}` : undefined
    return moduleInstanceHint(stamp.resource, this.deps.bindingOf(value, file), declaredAt)
  }

  private foreign(value: object, stamp: Stamp, observer: OwnerState, op: string): void {
    const key = `foreign-object\u0000${stamp.id}\u0000${observer.id}`
    if (this.deps.store.has(key)) return
    const object = this.label(value, stamp)
    const finding: Finding = {
      kind: 'foreign-object',
      concurrent: overlaps(stamp.owner, observer),
      object,
      origin: stamp.origin(),
      observedIn: [observer.place(op, this.deps.callSite(observer.file))],
      hint: stamp.heldBy === undefined ? foreignHint(object, stamp.owner.test) : traveledHint(object, stamp.owner.test, stamp.heldBy),
    }
    if (stamp.resource !== undefined) finding.resource = stamp.resource
    this.deps.store.add(key, finding, this.ownerOf(observer))
  }
}

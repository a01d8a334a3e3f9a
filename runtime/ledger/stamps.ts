/**
 * Stamps: who owns an object. Every tracked instance, owned value and object that crossed a tracked instance has one, in
 * a WeakMap keyed by the object — a stamp never references its object, so stamping keeps nothing alive.
 */
import { types } from 'node:util'
import type { Place } from '../report/types.ts'
import { operationName } from './labels.ts'
import type { OwnerState } from './owners.ts'

/**
 * How an object got its owner: `tracked` (a tracked instance), `owned` (declared by the caller), `result` (returned by a
 * tracked instance), `module` (a value of a module root, shared by design) or `traveled` (handed by its test to its own
 * instance and left in a module variable: see `travel.ts`). `argument` is the other direction of a crossing (passed into
 * a tracked instance): arguments are checked against their stamps, and stamped only when they traveled.
 */
export type Via = 'tracked' | 'owned' | 'argument' | 'result' | 'module' | 'traveled'

let nextStampId = 0

/** The ownership record of one object. */
export class Stamp {
  /** Distinguishes objects in dedupe keys without holding them. */
  readonly id = ++nextStampId
  /** Set when the object is first named in a finding (or at track time), so every finding names it the same way. */
  label: string | undefined = undefined
  /** Tests that used an object of module scope, in order of first use (capped: only the first ones matter). */
  users: { state: OwnerState; place: Place }[] | undefined = undefined
  /** The scope that used the object last: repeated use by it costs one comparison. */
  lastUser: OwnerState | undefined = undefined
  /** For a `traveled` object: the module root it was found in when its test ended (``module binding `saved` (a.test.ts:3)``). */
  heldBy: string | undefined = undefined

  constructor(
    public owner: OwnerState,
    public via: Via,
    /** The name of the instance through which the owner first saw the object (with `member`: `client.create`). */
    private readonly through: string | undefined,
    private readonly member: PropertyKey | undefined,
    readonly resource: string | undefined,
    /** Where the object was created, when the caller said (tracked and owned objects). */
    readonly where?: { file: string; line?: number; column?: number },
  ) {}

  /** The operation through which the owner first saw the object, e.g. `client.create`. */
  get operation(): string | undefined {
    if (this.through === undefined) return undefined
    return this.member === undefined ? this.through : operationName(this.through, this.member)
  }

  /** Where the object was created or first stamped. */
  origin(): Place {
    if (this.where === undefined) return this.owner.place(this.operation)
    const place: Place = { file: this.where.file, test: this.owner.test }
    if (this.where.line !== undefined) place.line = this.where.line
    if (this.where.line !== undefined && this.where.column !== undefined) place.column = this.where.column
    return place
  }
}

/**
 * Whether an object can be owned by a test: not a function (code is shared by design), not frozen (constants and frozen
 * built-ins), and not someone else's Proxy (Vitest's `expect` and mocked modules are proxies; touching them runs traps).
 */
export function isStampable(value: object): boolean {
  return typeof value === 'object' && !Object.isFrozen(value) && !isProxy(value)
}

// Enough for a list of objects in one call; beyond it a call is a bulk operation whose members we do not inspect.
const MEMBER_LIMIT = 256
const NONE: readonly object[] = Object.freeze([])
// Module-local: a call through an import namespace costs a property read per call when Vite inlines this module.
const { isProxy } = types

function elements(array: unknown[]): readonly object[] {
  let found: object[] | undefined
  const n = Math.min(array.length, MEMBER_LIMIT)
  for (let i = 0; i < n; i++) {
    const element: unknown = array[i]
    if (typeof element === 'object' && element !== null) (found ??= []).push(element)
  }
  return found ?? NONE
}

/**
 * The objects one level inside `value`: elements of an array, values of a plain object and — with `lists` — the
 * elements of an instance's own `items` array (a Kubernetes list). Only data properties are read, and other libraries'
 * Proxies are not entered (their traps would run). Class instances are otherwise opaque: walking their fields on every
 * call would cost more than the whole tracked call. Allocates nothing when there is nothing inside.
 */
export function membersOf(value: object, lists: boolean): readonly object[] {
  if (isProxy(value)) return NONE
  if (Array.isArray(value)) return elements(value)
  const proto: unknown = Reflect.getPrototypeOf(value)
  if (proto === null || proto === Object.prototype) {
    let found: object[] | undefined
    let seen = 0
    for (const key in value) {
      if (++seen > MEMBER_LIMIT) break
      const member: unknown = Reflect.getOwnPropertyDescriptor(value, key)?.value
      if (typeof member === 'object' && member !== null) (found ??= []).push(member)
    }
    return found ?? NONE
  }
  if (!lists) return NONE
  const items: unknown = Reflect.getOwnPropertyDescriptor(value, 'items')?.value
  return Array.isArray(items) && !isProxy(items) ? elements(items) : NONE
}

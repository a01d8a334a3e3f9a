/**
 * A registry of API types: GroupVersionKind ↔ constructor, plus defaulting functions. It plays the role of
 * apimachinery's `runtime.Scheme`, including the property that matters for this repository: it is mutable,
 * so one Scheme shared by tests is shared state (Cluster API #11722).
 */
import {
  gvkFromApiVersionKind,
  gvkToString,
  withKind,
  type GroupVersion,
  type GroupVersionKind,
} from '../api/groupversion.ts'
import { isUnstructured } from '../api/meta.ts'
import { kindOfType, type ObjectType } from '../api/object.ts'
import { NotRegisteredError, RegistrationError, describeGvk } from './errors.ts'

/** A function that fills defaults into an object of one type, in place. */
export type DefaultingFunc<T extends object = any> = (obj: T) => void

let schemeCounter = 0

/** A registry of API types, keyed by GroupVersionKind. */
export class Scheme {
  /** A name for messages and reports, `Scheme#<n>` unless given. */
  readonly name: string
  private readonly gvkToType = new Map<string, { gvk: GroupVersionKind; type: ObjectType }>()
  private readonly typeToGvks = new Map<ObjectType, GroupVersionKind[]>()
  private readonly defaulters = new Map<ObjectType, DefaultingFunc>()

  /** Creates an empty Scheme, named `Scheme#<n>` unless a name is given. */
  constructor(name?: string) {
    // Named schemes (e.g. `defaultScheme`) do not take a number, so `Scheme#1` is the first unnamed one.
    this.name = name ?? `Scheme#${++schemeCounter}`
  }

  /** Registers types under a GroupVersion, each with its kind (`static kind`, else the class name). */
  addKnownTypes(groupVersion: GroupVersion, ...types: ObjectType[]): void {
    for (const type of types) this.addKnownTypeWithName(withKind(groupVersion, kindOfType(type)), type)
  }

  /**
   * Registers a type under an explicit GroupVersionKind. Registering the same type again is a no-op;
   * a different type for a registered GroupVersionKind, or an empty version or kind, is an error.
   */
  addKnownTypeWithName(gvk: GroupVersionKind, type: ObjectType): void {
    if (gvk.version === '') {
      throw new RegistrationError(`version is required on all types: ${describeGvk(gvk)} (scheme "${this.name}")`)
    }
    if (gvk.kind === '') {
      throw new RegistrationError(`kind is required on all types: ${describeGvk(gvk)} (scheme "${this.name}")`)
    }
    const key = gvkToString(gvk)
    const existing = this.gvkToType.get(key)
    if (existing !== undefined) {
      if (existing.type === type) return
      throw new RegistrationError(
        `double registration of different types for ${key}: old=${existing.type.name}, new=${type.name} in scheme "${this.name}"`,
      )
    }
    const frozen = Object.freeze({ group: gvk.group, version: gvk.version, kind: gvk.kind })
    this.gvkToType.set(key, { gvk: frozen, type })
    const gvks = this.typeToGvks.get(type) ?? []
    gvks.push(frozen)
    this.typeToGvks.set(type, gvks)
  }

  /** Creates a new, empty object of a registered GroupVersionKind, with `apiVersion` and `kind` set. */
  new(gvk: GroupVersionKind): object {
    const entry = this.gvkToType.get(gvkToString(gvk))
    if (entry === undefined) throw new NotRegisteredError(this.name, { gvk })
    const obj = new entry.type() as { apiVersion?: string; kind?: string }
    obj.apiVersion = gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`
    obj.kind = gvk.kind
    return obj
  }

  /**
   * Returns the GroupVersionKinds of an object: for a typed object those registered for its constructor
   * (an error when there are none), for an unstructured object the one its `apiVersion`/`kind` name.
   */
  objectKinds(obj: object): GroupVersionKind[] {
    if (isUnstructured(obj)) {
      // Like apimachinery: unstructured objects carry their own identity and need no registration.
      const { apiVersion, kind } = obj as { apiVersion?: unknown; kind?: unknown }
      if (typeof kind !== 'string' || kind === '') {
        throw new RegistrationError(`unstructured object has no kind (scheme "${this.name}")`)
      }
      if (typeof apiVersion !== 'string' || apiVersion === '') {
        throw new RegistrationError(`unstructured object has no version (scheme "${this.name}")`)
      }
      return [gvkFromApiVersionKind(apiVersion, kind)]
    }
    const type = obj.constructor as ObjectType
    const gvks = this.typeToGvks.get(type)
    if (gvks === undefined) throw new NotRegisteredError(this.name, { typeName: type.name })
    return [...gvks]
  }

  /** True when a type is registered for the GroupVersionKind. */
  recognizes(gvk: GroupVersionKind): boolean {
    return this.gvkToType.has(gvkToString(gvk))
  }

  /** Returns a copy of all registrations, keyed by `gvkToString(gvk)`. */
  allKnownTypes(): Map<string, ObjectType> {
    return new Map([...this.gvkToType].map(([key, { type }]) => [key, type]))
  }

  /** Sets the defaulting function of a type; a later registration replaces an earlier one. */
  addTypeDefaultingFunc<T extends object>(type: ObjectType<T>, fn: DefaultingFunc<T>): void {
    this.defaulters.set(type, fn as DefaultingFunc)
  }

  /** Applies the defaulting function registered for the object's type, if any (in place). */
  default(obj: object): void {
    if (isUnstructured(obj)) return
    this.defaulters.get(obj.constructor as ObjectType)?.(obj)
  }

  /** The scheme's name. */
  toString(): string {
    return this.name
  }
}

/**
 * Base classes of the typed API objects. Types are classes so that a Scheme can map a GroupVersionKind to a
 * constructor and back; `static kind` names the kind without relying on `Function.name` (which bundlers
 * may rename).
 */
import type { KubeList, KubeObject, ListMeta, ObjectMeta } from './meta.ts'

/** What a typed object's constructor accepts: any of metadata, spec and status. */
export interface ObjectInit<Spec, Status> {
  metadata?: ObjectMeta
  spec?: Spec
  status?: Status
}

/** A constructor of a typed API object or list, as a Scheme registers it. */
export interface ObjectType<T extends object = object> {
  new (): T
  /** The kind the type is registered under by `Scheme.addKnownTypes`; defaults to the class name. */
  readonly kind?: string
  readonly name: string
}

/** The common part of every typed object: `apiVersion`, `kind` and `metadata`, plus `spec` and `status`. */
export abstract class TypedObject<Spec, Status> implements KubeObject {
  apiVersion: string
  kind: string
  metadata: ObjectMeta
  spec: Spec
  status: Status

  protected constructor(apiVersion: string, kind: string, init: ObjectInit<Spec, Status>, spec: Spec, status: Status) {
    this.apiVersion = apiVersion
    this.kind = kind
    this.metadata = init.metadata ?? {}
    this.spec = init.spec ?? spec
    this.status = init.status ?? status
  }
}

/** The common part of every typed list: `apiVersion`, `kind`, `metadata` and `items`. */
export abstract class TypedList<T extends KubeObject> implements KubeList<T> {
  apiVersion: string
  kind: string
  metadata: ListMeta
  items: T[]

  protected constructor(apiVersion: string, kind: string, items: T[] = []) {
    this.apiVersion = apiVersion
    this.kind = kind
    this.metadata = {}
    this.items = items
  }
}

/** Returns the kind a type is registered under: its `static kind`, else its class name. */
export function kindOfType(type: ObjectType): string {
  return type.kind ?? type.name
}

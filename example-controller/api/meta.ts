/**
 * Object metadata shared by every kind: ObjectMeta, owner and object references, conditions, and the
 * `Unstructured` shape (a plain object with `apiVersion`/`kind`).
 */

/** A reference from an object to its owner; `controller: true` marks the managing controller (at most one). */
export interface OwnerReference {
  apiVersion: string
  kind: string
  name: string
  uid: string
  controller?: boolean
  blockOwnerDeletion?: boolean
}

/** A reference to another object by apiVersion, kind and name (e.g. a template or a bootstrap config). */
export interface ObjectReference {
  apiVersion: string
  kind: string
  name: string
  namespace?: string
  uid?: string
}

/**
 * Standard object metadata. Timestamps are RFC 3339 strings (as on the wire), so objects stay plain data
 * that structuredClone and JSON merge patches handle without conversion.
 */
export interface ObjectMeta {
  name?: string
  generateName?: string
  namespace?: string
  uid?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  ownerReferences?: OwnerReference[]
  finalizers?: string[]
  resourceVersion?: string
  generation?: number
  creationTimestamp?: string
  deletionTimestamp?: string
}

/** Metadata of a list response. */
export interface ListMeta {
  resourceVersion?: string
}

/** The status of a condition. */
export type ConditionStatus = 'True' | 'False' | 'Unknown'

/** A metav1.Condition: the v1beta2 condition shape. */
export interface Condition {
  type: string
  status: ConditionStatus
  observedGeneration?: number
  lastTransitionTime?: string
  reason?: string
  message?: string
}

/** A label selector; only `matchLabels` is modelled (the example never uses expressions). */
export interface LabelSelector {
  matchLabels?: Record<string, string>
}

/** Labels and annotations that a template stamps onto the objects made from it. */
export interface TemplateMeta {
  labels?: Record<string, string>
  annotations?: Record<string, string>
}

/** Any API object: typed (a class instance) or unstructured (a plain object). */
export interface KubeObject {
  apiVersion: string
  kind: string
  metadata: ObjectMeta
}

/** Any list of API objects: typed (a `XList` class instance) or unstructured. */
export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion: string
  kind: string
  metadata: ListMeta
  items: T[]
}

/** An object handled without a registered type: a plain object with `apiVersion`, `kind` and `metadata`. */
export interface Unstructured extends KubeObject {
  [field: string]: unknown
}

/**
 * A list of unstructured objects. It is a class (not only a shape) because a Scheme maps kinds to
 * constructors: the fake client registers `<Kind>List` with this constructor for unstructured lists.
 */
export class UnstructuredList implements KubeList<Unstructured> {
  apiVersion: string
  kind: string
  metadata: ListMeta
  items: Unstructured[]

  constructor(init: { apiVersion?: string; kind?: string; metadata?: ListMeta; items?: Unstructured[] } = {}) {
    this.apiVersion = init.apiVersion ?? ''
    this.kind = init.kind ?? ''
    this.metadata = init.metadata ?? {}
    this.items = init.items ?? []
  }
}

/**
 * True for an unstructured object or list: a plain object (prototype `Object.prototype` or `null`) or an
 * `UnstructuredList`. Class instances of registered types are typed.
 */
export function isUnstructured(obj: object): boolean {
  const proto: unknown = Object.getPrototypeOf(obj)
  return proto === Object.prototype || proto === null || obj instanceof UnstructuredList
}

/**
 * The public interface of the fake client, in controller-runtime's shape: every method takes the object (or
 * list) to read into or write from, fills it in place with what the store holds afterwards, and also
 * resolves to it. A typed object (a class instance of a registered type) or an unstructured plain object
 * with `apiVersion`/`kind` both work.
 */
import type { KubeList, KubeObject } from '../api/meta.ts'
import type { Scheme } from '../scheme/scheme.ts'
import type { Patch } from './patch.ts'

/** The namespace and name of an object; an empty or missing namespace is the cluster scope. */
export interface ObjectKey {
  namespace?: string
  name: string
}

/** Options of `list` and `deleteAllOf`: the namespace and an equality label selector. */
export interface ListOptions {
  namespace?: string
  matchLabels?: Record<string, string>
}

/** Options of `delete`: preconditions checked against the stored object. */
export interface DeleteOptions {
  preconditions?: { resourceVersion?: string; uid?: string }
}

/** Writes to a subresource (`status`): `update` and `patch` change only that part of the object. */
export interface SubResourceWriter {
  /** Replaces the subresource of the stored object with `obj`'s (optimistic lock on resourceVersion). */
  update<T extends KubeObject>(obj: T): Promise<T>
  /** Applies a patch to the subresource of the stored object. */
  patch<T extends KubeObject>(obj: T, patch: Patch): Promise<T>
}

/** What the MachineSet reconciler needs of a Kubernetes API client. */
export interface Client {
  /** The scheme the client maps typed objects with. */
  readonly scheme: Scheme
  /** Reads the object at `key` into `obj` (whose type or apiVersion/kind says what to read). */
  get<T extends KubeObject>(key: ObjectKey, obj: T): Promise<T>
  /** Reads all matching objects into `list.items`, sorted by namespace then name. */
  list<L extends KubeList>(list: L, opts?: ListOptions): Promise<L>
  /** Creates `obj` (name or generateName required) and fills it with the stored object. */
  create<T extends KubeObject>(obj: T): Promise<T>
  /** Replaces the stored object with `obj` (resourceVersion must match) and fills it with the result. */
  update<T extends KubeObject>(obj: T): Promise<T>
  /** Applies a patch to the stored object named by `obj` and fills `obj` with the result. */
  patch<T extends KubeObject>(obj: T, patch: Patch): Promise<T>
  /** Deletes the object (or, while it has finalizers, only marks it with a deletionTimestamp). */
  delete(obj: KubeObject, opts?: DeleteOptions): Promise<void>
  /** Deletes every object of `obj`'s kind that matches the options. */
  deleteAllOf(obj: KubeObject, opts?: ListOptions): Promise<void>
  /** The writer of the `status` subresource. */
  status(): SubResourceWriter
}


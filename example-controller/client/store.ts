/**
 * The fake client's object store: one map per GroupVersionKind, keyed by namespace and name. It holds
 * plain JSON data that only the store references — the client copies on the way in and on the way out —
 * so nothing a caller holds can change what is stored.
 */
import { gvkToString, type GroupVersionKind } from '../api/groupversion.ts'
import type { Unstructured } from '../api/meta.ts'

/** A stored object with the GroupVersionKind it is stored under. */
export interface StoredObject {
  readonly gvk: GroupVersionKind
  readonly object: Unstructured
}

interface KindBucket {
  gvk: GroupVersionKind
  objects: Map<string, Unstructured>
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`
}

/** The objects a fake client serves (controller-runtime's object tracker). */
export class ObjectStore {
  private readonly kinds = new Map<string, KindBucket>()

  /** The stored object, or undefined. The result is the store's own: callers must copy it. */
  get(gvk: GroupVersionKind, namespace: string | undefined, name: string): Unstructured | undefined {
    return this.kinds.get(gvkToString(gvk))?.objects.get(objectKey(namespace, name))
  }

  /** Stores an object the store now owns (the caller must not keep a reference). */
  set(gvk: GroupVersionKind, object: Unstructured): void {
    const key = gvkToString(gvk)
    let bucket = this.kinds.get(key)
    if (bucket === undefined) {
      bucket = { gvk, objects: new Map() }
      this.kinds.set(key, bucket)
    }
    bucket.objects.set(objectKey(object.metadata.namespace, object.metadata.name ?? ''), object)
  }

  /** Removes an object; true when it existed. */
  remove(gvk: GroupVersionKind, namespace: string | undefined, name: string): boolean {
    return this.kinds.get(gvkToString(gvk))?.objects.delete(objectKey(namespace, name)) ?? false
  }

  /** The stored objects of a kind (in one namespace, or all), sorted by namespace then name. */
  list(gvk: GroupVersionKind, namespace?: string): Unstructured[] {
    const bucket = this.kinds.get(gvkToString(gvk))
    if (bucket === undefined) return []
    const all = [...bucket.objects.values()]
    const selected = namespace ? all.filter((o) => (o.metadata.namespace ?? '') === namespace) : all
    return selected.sort(compareByNamespaceThenName)
  }

  /** Every stored object with its GroupVersionKind; for inspection and invariant checks, never for mutation. */
  entries(): StoredObject[] {
    const out: StoredObject[] = []
    for (const bucket of this.kinds.values()) {
      for (const object of bucket.objects.values()) out.push({ gvk: bucket.gvk, object })
    }
    return out
  }
}

/** Orders objects by namespace, then name (the order the fake client lists in). */
export function compareByNamespaceThenName(a: Unstructured, b: Unstructured): number {
  const ns = compareStrings(a.metadata.namespace ?? '', b.metadata.namespace ?? '')
  return ns !== 0 ? ns : compareStrings(a.metadata.name ?? '', b.metadata.name ?? '')
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * An invariant harness for the fake client's store, in the manner of magic-string's tests: wrap a client so
 * that after every call — successful or not — the store is re-checked. Violations throw an InvariantError,
 * which fails the test that made the call.
 */
import { gvkToString } from '../../../example-controller/api/groupversion.ts'
import type { KubeList, KubeObject, Unstructured } from '../../../example-controller/api/meta.ts'
import type { Patch } from '../../../example-controller/client/patch.ts'
import type { ObjectStore } from '../../../example-controller/client/store.ts'
import type {
  Client,
  DeleteOptions,
  ListOptions,
  ObjectKey,
  SubResourceWriter,
} from '../../../example-controller/client/types.ts'

/** A broken store invariant. */
export class InvariantError extends Error {
  override name = 'InvariantError'
}

function fail(message: string): never {
  throw new InvariantError(message)
}

function keyOf(gvkKey: string, o: Unstructured): string {
  return `${gvkKey} ${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`
}

/** Every object and array reachable from `root` (including `root`). */
function reachable(root: unknown, out = new Set<object>()): Set<object> {
  if (typeof root !== 'object' || root === null || out.has(root)) return out
  out.add(root)
  for (const value of Object.values(root)) reachable(value, out)
  return out
}

function isPlainData(value: unknown): boolean {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return true
  if (Array.isArray(value)) return value.every(isPlainData)
  if (typeof value !== 'object') return false
  if (Object.getPrototypeOf(value) !== Object.prototype) return false
  return Object.values(value).every(isPlainData)
}

/** Checks the invariants that hold for the store between any two calls. */
export function checkStoreInvariants(store: ObjectStore): void {
  const seen = new Set<object>()
  for (const { gvk, object } of store.entries()) {
    const gvkKey = gvkToString(gvk)
    const where = keyOf(gvkKey, object)
    const meta = object.metadata
    if (!meta?.name) fail(`${where}: stored object without a name`)
    if (!/^\d+$/.test(meta.resourceVersion ?? '')) fail(`${where}: resourceVersion ${meta.resourceVersion} is not numeric`)
    const apiVersion = gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`
    if (object.apiVersion !== apiVersion || object.kind !== gvk.kind) {
      fail(`${where}: stored as ${object.apiVersion}/${object.kind}`)
    }
    if (store.get(gvk, meta.namespace, meta.name) !== object) fail(`${where}: not found under its own key`)
    if (meta.deletionTimestamp && !meta.finalizers?.length) fail(`${where}: deleting without finalizers is still stored`)
    if (!isPlainData(object)) fail(`${where}: not plain JSON data (class instance, undefined or function inside)`)
    for (const node of reachable(object)) {
      if (seen.has(node)) fail(`${where}: shares a nested object with another stored object`)
      seen.add(node)
    }
  }
  const keys = store.entries().map((e) => keyOf(gvkToString(e.gvk), e.object))
  if (new Set(keys).size !== keys.length) fail(`duplicate names per kind and namespace: ${keys.join(', ')}`)
}

interface Snapshot {
  json: string
  versions: Map<string, number>
  deleting: Map<string, string>
}

function snapshot(store: ObjectStore): Snapshot {
  const versions = new Map<string, number>()
  const deleting = new Map<string, string>()
  const entries = store.entries().map(({ gvk, object }) => {
    const key = keyOf(gvkToString(gvk), object)
    versions.set(key, Number(object.metadata.resourceVersion))
    if (object.metadata.deletionTimestamp) deleting.set(key, object.metadata.deletionTimestamp)
    return [key, object] as const
  })
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return { json: JSON.stringify(entries), versions, deleting }
}

/** Checks what must hold across one call: versions only grow, deleting objects stay deleting, failures change nothing. */
function checkTransition(store: ObjectStore, before: Snapshot, failed: boolean, values: unknown[]): void {
  checkStoreInvariants(store)
  const after = snapshot(store)
  if (failed && after.json !== before.json) fail('a failed call changed the store')
  for (const [key, version] of after.versions) {
    const previous = before.versions.get(key)
    if (previous !== undefined && version < previous) fail(`${key}: resourceVersion went back from ${previous} to ${version}`)
  }
  for (const [key, timestamp] of before.deleting) {
    const now = after.deleting.get(key)
    if (after.versions.has(key) && now !== timestamp) fail(`${key}: deletionTimestamp changed from ${timestamp} to ${now}`)
  }
  const stored = new Set<object>()
  for (const { object } of store.entries()) reachable(object, stored)
  for (const value of values) {
    for (const node of reachable(value)) {
      if (stored.has(node)) fail('a value the caller holds is (part of) a stored object')
    }
  }
}

/** Wraps `client` so that every call re-checks the invariants of `store` (the client's store). */
export function withInvariants(client: Client, store: ObjectStore): Client {
  checkStoreInvariants(store)
  async function around<R>(values: unknown[], call: () => Promise<R>): Promise<R> {
    const before = snapshot(store)
    let result: R
    try {
      result = await call()
    } catch (err) {
      checkTransition(store, before, true, values)
      throw err
    }
    checkTransition(store, before, false, [...values, result])
    return result
  }
  const status: SubResourceWriter = {
    update: (obj) => around([obj], () => client.status().update(obj)),
    patch: (obj, patch) => around([obj], () => client.status().patch(obj, patch)),
  }
  return {
    get scheme() {
      return client.scheme
    },
    get: <T extends KubeObject>(key: ObjectKey, obj: T) => around([obj], () => client.get(key, obj)),
    list: <L extends KubeList>(list: L, opts?: ListOptions) => around([list], () => client.list(list, opts)),
    create: <T extends KubeObject>(obj: T) => around([obj], () => client.create(obj)),
    update: <T extends KubeObject>(obj: T) => around([obj], () => client.update(obj)),
    patch: <T extends KubeObject>(obj: T, patch: Patch) => around([obj], () => client.patch(obj, patch)),
    delete: (obj: KubeObject, opts?: DeleteOptions) => around([obj], () => client.delete(obj, opts)),
    deleteAllOf: (obj: KubeObject, opts?: ListOptions) => around([obj], () => client.deleteAllOf(obj, opts)),
    status: () => status,
  }
}

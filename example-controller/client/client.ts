/**
 * The fake client: controller-runtime's fake client semantics over an in-memory ObjectStore. Every method
 * does its reads and its write without an `await` in between, so each call is atomic even when calls from
 * concurrent tests interleave. See `index.ts` for the Limitations.
 */
import { formatGroupVersion, gvkToString, withKind, type GroupVersionKind } from '../api/groupversion.ts'
import { UnstructuredList, isUnstructured } from '../api/meta.ts'
import type { KubeList, KubeObject, Unstructured } from '../api/meta.ts'
import type { Scheme } from '../scheme/scheme.ts'
import { copyAs, fillFrom, toStored } from './copy.ts'
import { AlreadyExistsError, BadRequestError, ConflictError, InvalidError, NotFoundError } from './errors.ts'
import { applyMergePatch, type JsonObject, type Patch } from './patch.ts'
import { generateName, type Random } from './random.ts'
import { groupKind, groupResource } from './resources.ts'
import type { ObjectStore } from './store.ts'
import type { Client, DeleteOptions, ListOptions, ObjectKey, SubResourceWriter } from './types.ts'

/** How many names `generateName` tries before giving up with AlreadyExists (the API server retries too). */
export const GenerateNameAttempts = 8

/** The resourceVersion given to objects the builder seeds without one (controller-runtime's magic "999"). */
export const InitialResourceVersion = '999'

/** What a FakeClient is built from (see FakeClientBuilder). */
export interface FakeClientConfig {
  scheme: Scheme
  store: ObjectStore
  /** Keys (`gvkToString`) of the kinds that have a status subresource. */
  statusSubresource: ReadonlySet<string>
  random: Random
  clock: () => Date
}

const modifiedMessage = 'the object has been modified; please apply your changes to the latest version and try again'

let clientCounter = 0

/** Formats a Date as a Kubernetes timestamp (RFC 3339, whole seconds). */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** True when every pair of `matchLabels` is among the object's labels. */
export function matchesLabels(obj: KubeObject, matchLabels: Record<string, string> | undefined): boolean {
  if (matchLabels === undefined) return true
  const labels = obj.metadata.labels ?? {}
  return Object.entries(matchLabels).every(([key, value]) => labels[key] === value)
}

/** A Client over an in-memory store, with the semantics of controller-runtime's fake client. */
export class FakeClient implements Client {
  /** A name for messages and reports, `FakeClient#<n>`. */
  readonly name: string
  readonly scheme: Scheme
  private readonly config: FakeClientConfig

  /** Creates a client; prefer `FakeClientBuilder`, which also seeds objects and adds interceptors. */
  constructor(config: FakeClientConfig) {
    clientCounter += 1
    this.name = `FakeClient#${clientCounter}`
    this.scheme = config.scheme
    this.config = config
  }

  /** Adds an initial object (resourceVersion "999" unless set); used by the builder before any call. */
  seed(obj: KubeObject): void {
    const gvk = this.gvkOf(obj)
    const stored = this.normalize(obj, gvk)
    const meta = stored.metadata
    if (!meta.name) throw this.invalidName(gvk)
    if (meta.deletionTimestamp && !meta.finalizers?.length) {
      const why = 'refusing to create an object with metadata.deletionTimestamp but no finalizers'
      throw new InvalidError(groupKind(gvk), meta.name, why, this.details(gvk, meta.name))
    }
    meta.resourceVersion ||= InitialResourceVersion
    if (!/^\d+$/.test(meta.resourceVersion)) {
      throw new BadRequestError(`resourceVersion "${meta.resourceVersion}" of ${meta.name} is not a number`)
    }
    if (this.config.store.get(gvk, meta.namespace, meta.name)) throw this.alreadyExists(gvk, meta.name)
    this.config.store.set(gvk, stored)
  }

  async get<T extends KubeObject>(key: ObjectKey, obj: T): Promise<T> {
    const gvk = this.gvkOf(obj)
    const stored = this.config.store.get(gvk, key.namespace, key.name)
    if (stored === undefined) throw this.notFound(gvk, key.name)
    return fillFrom(obj, stored)
  }

  async list<L extends KubeList>(list: L, opts: ListOptions = {}): Promise<L> {
    const listGvk = this.gvkOf(list)
    const gvk = withKind(listGvk, listGvk.kind.replace(/List$/, ''))
    const unstructured = isUnstructured(list)
    if (unstructured && !this.scheme.recognizes(gvk)) {
      // THE TRAP (kept on purpose, as in controller-runtime): listing an unknown kind as unstructured
      // registers `<Kind>List` in the client's scheme — a write to a scheme that other tests may share.
      this.scheme.addKnownTypeWithName(withKind(gvk, `${gvk.kind}List`), UnstructuredList)
    }
    const itemType = unstructured ? undefined : (this.scheme.new(gvk).constructor as new () => object)
    const items = this.config.store
      .list(gvk, opts.namespace)
      .filter((o) => matchesLabels(o, opts.matchLabels))
      .map((o) => copyAs(itemType, o))
    if (unstructured) list.apiVersion = formatGroupVersion(gvk)
    list.metadata = {}
    list.items = items
    return list
  }

  async create<T extends KubeObject>(obj: T): Promise<T> {
    const gvk = this.gvkOf(obj)
    const stored = this.normalize(obj, gvk)
    const meta = stored.metadata
    // The API server ignores a deletionTimestamp sent on create.
    delete meta.deletionTimestamp
    if (!meta.name && meta.generateName) meta.name = this.freeName(gvk, meta.namespace, meta.generateName)
    if (!meta.name) throw this.invalidName(gvk)
    if (meta.resourceVersion) throw new BadRequestError('resourceVersion can not be set for Create requests')
    if (this.config.store.get(gvk, meta.namespace, meta.name)) throw this.alreadyExists(gvk, meta.name)
    meta.resourceVersion = '1'
    this.config.store.set(gvk, stored)
    return fillFrom(obj, stored)
  }

  async update<T extends KubeObject>(obj: T): Promise<T> {
    return this.updateObject(obj, false)
  }

  async patch<T extends KubeObject>(obj: T, patch: Patch): Promise<T> {
    return this.patchObject(obj, patch, false)
  }

  async delete(obj: KubeObject, opts: DeleteOptions = {}): Promise<void> {
    const gvk = this.gvkOf(obj)
    const name = obj.metadata?.name ?? ''
    const old = this.config.store.get(gvk, obj.metadata?.namespace, name)
    if (old === undefined) throw this.notFound(gvk, name)
    this.checkPreconditions(gvk, old, opts)
    this.deleteStored(gvk, old)
  }

  async deleteAllOf(obj: KubeObject, opts: ListOptions = {}): Promise<void> {
    const gvk = this.gvkOf(obj)
    const matching = this.config.store.list(gvk, opts.namespace).filter((o) => matchesLabels(o, opts.matchLabels))
    for (const old of matching) this.deleteStored(gvk, old)
  }

  status(): SubResourceWriter {
    return {
      update: async (obj) => this.updateObject(obj, true),
      patch: async (obj, patch) => this.patchObject(obj, patch, true),
    }
  }

  private updateObject<T extends KubeObject>(obj: T, isStatus: boolean): T {
    const gvk = this.gvkOf(obj)
    const incoming = this.normalize(obj, gvk)
    const name = incoming.metadata.name
    if (!name) throw this.invalidName(gvk)
    const old = this.config.store.get(gvk, incoming.metadata.namespace, name)
    if (old === undefined) throw this.notFound(gvk, name)
    const next = this.separateStatus(gvk, incoming, old, isStatus)
    return this.commit(gvk, next, old, obj)
  }

  private patchObject<T extends KubeObject>(obj: T, patch: Patch, isStatus: boolean): T {
    const gvk = this.gvkOf(obj)
    const name = obj.metadata?.name
    if (!name) throw this.invalidName(gvk)
    const old = this.config.store.get(gvk, obj.metadata.namespace, name)
    if (old === undefined) throw this.notFound(gvk, name)
    if (patch.type !== 'merge') throw new BadRequestError(`${String(patch.type)} PatchType is not supported`)
    const body = structuredClone(patch.data(obj))
    const patched = applyMergePatch(structuredClone(old) as unknown as JsonObject, body) as unknown as Unstructured
    patched.apiVersion = formatGroupVersion(gvk)
    patched.kind = gvk.kind
    patched.metadata = { ...(patched.metadata ?? {}), name, namespace: old.metadata.namespace }
    if (patched.metadata.namespace === undefined) delete patched.metadata.namespace
    // A patch without a resourceVersion (or one that nulls it) is unconditional; one that carries a
    // resourceVersion (mergeFrom with optimisticLock) must match.
    patched.metadata.resourceVersion ||= old.metadata.resourceVersion
    const next = this.separateStatus(gvk, patched, old, isStatus)
    return this.commit(gvk, next, old, obj)
  }

  /** Applies the status subresource rules: which part of `incoming` a write may change. */
  private separateStatus(
    gvk: GroupVersionKind,
    incoming: Unstructured,
    old: Unstructured,
    isStatus: boolean,
  ): Unstructured {
    const hasStatus = this.config.statusSubresource.has(gvkToString(gvk))
    if (!hasStatus) {
      if (isStatus) throw this.notFound(gvk, incoming.metadata.name ?? '')
      return incoming
    }
    if (isStatus) {
      const next = structuredClone(old)
      next.metadata.resourceVersion = incoming.metadata.resourceVersion
      return setOrDelete(next, 'status', incoming.status)
    }
    return setOrDelete(incoming, 'status', structuredClone(old.status))
  }

  /** Checks the optimistic lock and immutable fields, then stores `next` (or removes it) and fills `target`. */
  private commit<T extends KubeObject>(gvk: GroupVersionKind, next: Unstructured, old: Unstructured, target: T): T {
    const name = old.metadata.name ?? ''
    if ((next.metadata.resourceVersion ?? '') !== old.metadata.resourceVersion) {
      throw new ConflictError(groupResource(gvk), name, modifiedMessage, this.details(gvk, name))
    }
    if ((next.metadata.deletionTimestamp ?? null) !== (old.metadata.deletionTimestamp ?? null)) {
      const why = 'metadata.deletionTimestamp: Invalid value: field is immutable'
      throw new InvalidError(groupKind(gvk), name, why, this.details(gvk, name))
    }
    next.metadata.resourceVersion = String(Number(old.metadata.resourceVersion) + 1)
    if (next.metadata.deletionTimestamp && !next.metadata.finalizers?.length) {
      // The last finalizer of a deleting object is gone: the API server removes the object.
      this.config.store.remove(gvk, old.metadata.namespace, name)
    } else {
      this.config.store.set(gvk, next)
    }
    return fillFrom(target, next)
  }

  private checkPreconditions(gvk: GroupVersionKind, old: Unstructured, opts: DeleteOptions): void {
    const name = old.metadata.name ?? ''
    const { resourceVersion, uid } = opts.preconditions ?? {}
    const actual = { ResourceVersion: old.metadata.resourceVersion ?? '', UID: old.metadata.uid ?? '' }
    const expected = { ResourceVersion: resourceVersion, UID: uid }
    for (const field of ['ResourceVersion', 'UID'] as const) {
      const want = expected[field]
      if (want === undefined || want === actual[field]) continue
      const why =
        `the ${field} in the precondition (${want}) does not match the ${field} in record (${actual[field]}). ` +
        (field === 'UID' ? 'The object might have been deleted and then recreated' : 'The object might have been modified')
      throw new ConflictError(groupResource(gvk), name, why, this.details(gvk, name))
    }
  }

  private deleteStored(gvk: GroupVersionKind, old: Unstructured): void {
    if (!old.metadata.finalizers?.length) {
      // No garbage collection: dependents (ownerReferences) stay, as in the fake client.
      this.config.store.remove(gvk, old.metadata.namespace, old.metadata.name ?? '')
      return
    }
    if (old.metadata.deletionTimestamp) return // already deleting; the timestamp never changes
    const next = structuredClone(old)
    next.metadata.deletionTimestamp = formatTimestamp(this.config.clock())
    next.metadata.resourceVersion = String(Number(old.metadata.resourceVersion) + 1)
    this.config.store.set(gvk, next)
  }

  private freeName(gvk: GroupVersionKind, namespace: string | undefined, prefix: string): string {
    for (let attempt = 0; attempt < GenerateNameAttempts; attempt++) {
      const name = generateName(prefix, this.config.random)
      if (this.config.store.get(gvk, namespace, name) === undefined) return name
    }
    throw this.alreadyExists(gvk, `${prefix}*`)
  }

  /** The GroupVersionKind of an object: from the scheme for typed objects (an error naming the type and scheme). */
  private gvkOf(obj: object): GroupVersionKind {
    return this.scheme.objectKinds(obj)[0]
  }

  /** A plain-data copy of `obj` for the store, with apiVersion/kind from `gvk` and metadata present. */
  private normalize(obj: object, gvk: GroupVersionKind): Unstructured {
    const stored = toStored(obj)
    stored.apiVersion = formatGroupVersion(gvk)
    stored.kind = gvk.kind
    stored.metadata ??= {}
    return stored
  }

  private details(gvk: GroupVersionKind, name: string): { group: string; kind: string; name: string } {
    return { group: gvk.group, kind: gvk.kind, name }
  }

  private notFound(gvk: GroupVersionKind, name: string): NotFoundError {
    return new NotFoundError(groupResource(gvk), name, this.details(gvk, name))
  }

  private alreadyExists(gvk: GroupVersionKind, name: string): AlreadyExistsError {
    return new AlreadyExistsError(groupResource(gvk), name, this.details(gvk, name))
  }

  private invalidName(gvk: GroupVersionKind): InvalidError {
    const why = 'metadata.name: Required value: name is required'
    return new InvalidError(groupKind(gvk), '', why, this.details(gvk, ''))
  }

  /** The client's name. */
  toString(): string {
    return this.name
  }
}

function setOrDelete(obj: Unstructured, key: string, value: unknown): Unstructured {
  if (value === undefined) delete obj[key]
  else obj[key] = value
  return obj
}

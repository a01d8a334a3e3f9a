/**
 * Interceptors: per-verb functions that replace a client call, e.g. to inject a failure. A verb without a
 * function passes through. Each function receives the wrapped (inner) client, so it can pass the call on.
 */
import type { KubeList, KubeObject } from '../api/meta.ts'
import type { Patch } from './patch.ts'
import type { Client, DeleteOptions, ListOptions, ObjectKey, SubResourceWriter } from './types.ts'

/** Optional per-verb replacements of client calls (controller-runtime's `interceptor.Funcs`). */
export interface Interceptors {
  get?: (client: Client, key: ObjectKey, obj: KubeObject) => Promise<unknown>
  list?: (client: Client, list: KubeList, opts: ListOptions) => Promise<unknown>
  create?: (client: Client, obj: KubeObject) => Promise<unknown>
  update?: (client: Client, obj: KubeObject) => Promise<unknown>
  patch?: (client: Client, obj: KubeObject, patch: Patch) => Promise<unknown>
  delete?: (client: Client, obj: KubeObject, opts: DeleteOptions) => Promise<unknown>
  deleteAllOf?: (client: Client, obj: KubeObject, opts: ListOptions) => Promise<unknown>
  /** Replaces `status().update`; `subResource` is `'status'`. */
  subResourceUpdate?: (client: Client, subResource: string, obj: KubeObject) => Promise<unknown>
  /** Replaces `status().patch`; `subResource` is `'status'`. */
  subResourcePatch?: (client: Client, subResource: string, obj: KubeObject, patch: Patch) => Promise<unknown>
}

/**
 * A Client that routes each call through its interceptor, if any. Calls fill the object in place, so an
 * intercepted call resolves to the object it was given.
 */
export class InterceptingClient implements Client {
  constructor(
    private readonly inner: Client,
    private readonly funcs: Interceptors,
  ) {}

  get scheme(): Client['scheme'] {
    return this.inner.scheme
  }

  async get<T extends KubeObject>(key: ObjectKey, obj: T): Promise<T> {
    if (!this.funcs.get) return this.inner.get(key, obj)
    await this.funcs.get(this.inner, key, obj)
    return obj
  }

  async list<L extends KubeList>(list: L, opts: ListOptions = {}): Promise<L> {
    if (!this.funcs.list) return this.inner.list(list, opts)
    await this.funcs.list(this.inner, list, opts)
    return list
  }

  async create<T extends KubeObject>(obj: T): Promise<T> {
    if (!this.funcs.create) return this.inner.create(obj)
    await this.funcs.create(this.inner, obj)
    return obj
  }

  async update<T extends KubeObject>(obj: T): Promise<T> {
    if (!this.funcs.update) return this.inner.update(obj)
    await this.funcs.update(this.inner, obj)
    return obj
  }

  async patch<T extends KubeObject>(obj: T, patch: Patch): Promise<T> {
    if (!this.funcs.patch) return this.inner.patch(obj, patch)
    await this.funcs.patch(this.inner, obj, patch)
    return obj
  }

  async delete(obj: KubeObject, opts: DeleteOptions = {}): Promise<void> {
    if (!this.funcs.delete) return this.inner.delete(obj, opts)
    await this.funcs.delete(this.inner, obj, opts)
  }

  async deleteAllOf(obj: KubeObject, opts: ListOptions = {}): Promise<void> {
    if (!this.funcs.deleteAllOf) return this.inner.deleteAllOf(obj, opts)
    await this.funcs.deleteAllOf(this.inner, obj, opts)
  }

  status(): SubResourceWriter {
    const { inner, funcs } = this
    return {
      async update<T extends KubeObject>(obj: T): Promise<T> {
        if (!funcs.subResourceUpdate) return inner.status().update(obj)
        await funcs.subResourceUpdate(inner, 'status', obj)
        return obj
      },
      async patch<T extends KubeObject>(obj: T, patch: Patch): Promise<T> {
        if (!funcs.subResourcePatch) return inner.status().patch(obj, patch)
        await funcs.subResourcePatch(inner, 'status', obj, patch)
        return obj
      },
    }
  }
}

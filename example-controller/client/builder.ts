/**
 * FakeClientBuilder and `newFakeClient`: how tests make a fake client.
 *
 * Trap (kept on purpose, see `default-scheme.ts`): without `withScheme`, the client uses the shared
 * module-level `defaultScheme`, and listing an unregistered kind as unstructured registers `<Kind>List`
 * into that scheme — so tests that share it share mutable state. Give every test its own scheme.
 */
import type { KubeObject } from '../api/meta.ts'
import type { Scheme } from '../scheme/scheme.ts'
import { gvkToString } from '../api/groupversion.ts'
import { FakeClient } from './client.ts'
import { defaultScheme } from './default-scheme.ts'
import { InterceptingClient, type Interceptors } from './interceptors.ts'
import type { Random } from './random.ts'
import { ObjectStore } from './store.ts'
import type { Client } from './types.ts'

/**
 * Builds a fake client (controller-runtime's `fake.NewClientBuilder()`).
 *
 * @example
 * const client = new FakeClientBuilder().withScheme(newScheme()).withObjects(cluster).build()
 */
export class FakeClientBuilder {
  private scheme: Scheme | undefined
  private readonly objects: KubeObject[] = []
  private readonly statusObjects: KubeObject[] = []
  private interceptors: Interceptors | undefined
  private random: Random = Math.random
  private clock: () => Date = () => new Date()
  private store: ObjectStore | undefined

  /** Sets the scheme; without it the client falls back to the shared `defaultScheme` (the trap). */
  withScheme(scheme: Scheme): this {
    this.scheme = scheme
    return this
  }

  /** Adds objects the client starts with (resourceVersion "999" unless set). */
  withObjects(...objects: KubeObject[]): this {
    this.objects.push(...objects)
    return this
  }

  /** Gives the kinds of these objects a status subresource: update/patch keep status, status() writes only status. */
  withStatusSubresource(...objects: KubeObject[]): this {
    this.statusObjects.push(...objects)
    return this
  }

  /** Routes calls through per-verb interceptors; a verb without one passes through. */
  withInterceptors(interceptors: Interceptors): this {
    this.interceptors = interceptors
    return this
  }

  /** Sets the random source of `generateName` suffixes (default `Math.random`); seed it in tests. */
  withRandom(random: Random): this {
    this.random = random
    return this
  }

  /** Sets the clock that stamps deletionTimestamp (default: the system clock). */
  withClock(clock: () => Date): this {
    this.clock = clock
    return this
  }

  /** Uses the given store (e.g. to inspect it in tests) instead of a new one. */
  withObjectStore(store: ObjectStore): this {
    this.store = store
    return this
  }

  /** Builds the client; throws if an initial object is invalid, duplicated or of a kind the scheme lacks. */
  build(): Client {
    const scheme = this.scheme ?? defaultScheme
    const statusSubresource = new Set(this.statusObjects.map((o) => gvkToString(scheme.objectKinds(o)[0])))
    const client = new FakeClient({
      scheme,
      store: this.store ?? new ObjectStore(),
      statusSubresource,
      random: this.random,
      clock: this.clock,
    })
    for (const obj of this.objects) client.seed(obj)
    return this.interceptors ? new InterceptingClient(client, this.interceptors) : client
  }
}

/** What `newFakeClient` accepts: the plugin passes the test's resources (e.g. `scheme`) and `test`. */
export interface FakeClientDeps {
  scheme?: Scheme
  [key: string]: unknown
}

/**
 * Returns a fake client over `deps.scheme` (or, without one, the shared `defaultScheme`): the `client`
 * resource factory of the plugin's config.
 *
 * @example
 * const client = newFakeClient({ scheme: newScheme() })
 */
export function newFakeClient(deps: FakeClientDeps = {}): Client {
  const builder = new FakeClientBuilder()
  if (deps.scheme !== undefined) builder.withScheme(deps.scheme)
  return builder.build()
}

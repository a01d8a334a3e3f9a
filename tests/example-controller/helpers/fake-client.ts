/** Builds a fake client for tests: its own scheme and store, a seeded random source, a fixed clock, invariants on. */
import { Cluster } from '../../../example-controller/api/cluster.ts'
import { Machine } from '../../../example-controller/api/machine.ts'
import type { KubeObject } from '../../../example-controller/api/meta.ts'
import { FakeClientBuilder } from '../../../example-controller/client/builder.ts'
import type { Interceptors } from '../../../example-controller/client/interceptors.ts'
import { seededRandom, type Random } from '../../../example-controller/client/random.ts'
import { ObjectStore } from '../../../example-controller/client/store.ts'
import type { Client } from '../../../example-controller/client/types.ts'
import { newScheme } from '../../../example-controller/scheme/new-scheme.ts'
import type { Scheme } from '../../../example-controller/scheme/scheme.ts'
import { withInvariants } from './store-harness.ts'

/** The time the test clock always reads. */
export const Now = new Date('2026-01-02T03:04:05.678Z')

/** What `setup` accepts. */
export interface SetupOptions {
  objects?: KubeObject[]
  status?: KubeObject[]
  interceptors?: Interceptors
  random?: Random
  scheme?: Scheme
}

/** A harnessed fake client with its scheme and store. */
export interface Setup {
  client: Client
  store: ObjectStore
  scheme: Scheme
}

/** Builds a fake client wrapped in the store invariant harness. */
export function setup(opts: SetupOptions = {}): Setup {
  const scheme = opts.scheme ?? newScheme()
  const store = new ObjectStore()
  const builder = new FakeClientBuilder()
    .withScheme(scheme)
    .withObjectStore(store)
    .withObjects(...(opts.objects ?? []))
    .withStatusSubresource(...(opts.status ?? []))
    .withRandom(opts.random ?? seededRandom(42))
    .withClock(() => Now)
  if (opts.interceptors) builder.withInterceptors(opts.interceptors)
  return { client: withInvariants(builder.build(), store), store, scheme }
}

/** A Machine in namespace `default` (unless given) with optional labels and finalizers. */
export function machine(
  name: string,
  opts: { namespace?: string; labels?: Record<string, string>; finalizers?: string[]; resourceVersion?: string } = {},
): Machine {
  return new Machine({
    metadata: {
      name,
      namespace: opts.namespace ?? 'default',
      ...(opts.labels && { labels: opts.labels }),
      ...(opts.finalizers && { finalizers: opts.finalizers }),
      ...(opts.resourceVersion && { resourceVersion: opts.resourceVersion }),
    },
    spec: {
      clusterName: 'test-cluster',
      bootstrap: { dataSecretName: `${name}-bootstrap` },
      infrastructureRef: {
        apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
        kind: 'GenericInfrastructureMachine',
        name,
      },
    },
  })
}

/** A Cluster named `test-cluster` in `default`. */
export function cluster(): Cluster {
  return new Cluster({ metadata: { name: 'test-cluster', namespace: 'default', uid: 'cluster-uid' } })
}

/** A key for `client.get`. */
export function keyOf(obj: KubeObject): { namespace?: string; name: string } {
  return { namespace: obj.metadata.namespace, name: obj.metadata.name ?? '' }
}

/** Runs `fn` and returns what it rejected with (fails if it resolved). */
export async function rejection(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn()
  } catch (err) {
    return err
  }
  throw new Error('expected the call to reject')
}

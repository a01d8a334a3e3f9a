/**
 * Builders for the MachineSet controller tests. Every call of `newEnv` makes a fresh Scheme and fake client (the
 * invariant harness re-checks the store after every call), a seeded random source and a fixed clock, so no state is
 * shared between tests and every run is the same.
 */
import { Cluster } from '../../example-controller/api/cluster.ts'
import {
  GenericBootstrapConfigList,
  GenericBootstrapConfigTemplate,
  GenericInfrastructureMachineList,
  GenericInfrastructureMachineTemplate,
} from '../../example-controller/api/generic.ts'
import { BootstrapApiVersion, InfrastructureApiVersion } from '../../example-controller/api/groupversion.ts'
import { ClusterNameLabel, MachineSetFinalizer } from '../../example-controller/api/labels.ts'
import { Machine, MachineList } from '../../example-controller/api/machine.ts'
import { MachineSet, type MachineSetSpec } from '../../example-controller/api/machineset.ts'
import type { Condition, KubeObject, ObjectMeta } from '../../example-controller/api/meta.ts'
import { FakeClientBuilder } from '../../example-controller/client/builder.ts'
import type { Interceptors } from '../../example-controller/client/interceptors.ts'
import { seededRandom } from '../../example-controller/client/random.ts'
import { ObjectStore } from '../../example-controller/client/store.ts'
import type { Client } from '../../example-controller/client/types.ts'
import { MemoryEventRecorder } from '../../example-controller/machineset/events.ts'
import { MachineSetReconciler } from '../../example-controller/machineset/reconciler.ts'
import type { ReconcilerDeps } from '../../example-controller/machineset/scope.ts'
import { fixedClock } from '../../example-controller/machineset/sources.ts'
import { newScheme } from '../../example-controller/scheme/new-scheme.ts'
import type { Scheme } from '../../example-controller/scheme/scheme.ts'
import { withInvariants } from './helpers/store-harness.ts'

/** The namespace every test object lives in. */
export const NAMESPACE = 'default'
/** The name of the test Cluster. */
export const CLUSTER_NAME = 'test-cluster'
/** What the test clock reads. */
export const NOW = '2026-03-01T12:00:00Z'

/** A fresh test environment. */
export interface TestEnv {
  scheme: Scheme
  client: Client
  store: ObjectStore
  recorder: MemoryEventRecorder
  deps: ReconcilerDeps
  reconciler: MachineSetReconciler
}

/** Options of `newEnv`. */
export interface EnvOptions {
  objects?: KubeObject[]
  interceptors?: Interceptors
  seed?: number
}

/**
 * Builds a fresh Scheme, a fake client over it (status subresource for MachineSet and Machine, as the API server
 * serves them), a reconciler with a seeded random source and the fixed clock.
 */
export function newEnv(options: EnvOptions = {}): TestEnv {
  const scheme = newScheme()
  const store = new ObjectStore()
  const builder = new FakeClientBuilder()
    .withScheme(scheme)
    .withObjectStore(store)
    .withObjects(...(options.objects ?? []))
    .withStatusSubresource(new MachineSet(), new Machine())
    .withRandom(seededRandom(options.seed ?? 7))
    .withClock(fixedClock(NOW))
  if (options.interceptors !== undefined) builder.withInterceptors(options.interceptors)
  const client = withInvariants(builder.build(), store)
  const recorder = new MemoryEventRecorder()
  const reconciler = new MachineSetReconciler({ client, random: seededRandom(options.seed ?? 7), clock: fixedClock(NOW), recorder })
  return { scheme, client, store, recorder, deps: reconciler.deps, reconciler }
}

/** The test Cluster. */
export function newCluster(meta: ObjectMeta = {}, paused = false): Cluster {
  return new Cluster({
    metadata: { name: CLUSTER_NAME, namespace: NAMESPACE, uid: 'cluster-uid', ...meta },
    spec: paused ? { paused: true } : {},
  })
}

/** The infrastructure machine template `ms-template`. */
export function newInfraTemplate(): GenericInfrastructureMachineTemplate {
  return new GenericInfrastructureMachineTemplate({
    metadata: { name: 'ms-template', namespace: NAMESPACE },
    spec: {
      template: {
        metadata: { annotations: { precedence: 'GenericInfrastructureMachineTemplate' } },
        spec: { size: '3xlarge' },
      },
    },
  })
}

/** The bootstrap config template `ms-template`. */
export function newBootstrapTemplate(): GenericBootstrapConfigTemplate {
  return new GenericBootstrapConfigTemplate({
    metadata: { name: 'ms-template', namespace: NAMESPACE },
    spec: { template: { metadata: { annotations: { precedence: 'GenericBootstrapConfig' } }, spec: { format: 'cloud-config' } } },
  })
}

/** A MachineSet `ms` of the test Cluster with both template references; `replicas` defaults to 1. */
export function newMachineSet(options: { meta?: ObjectMeta; spec?: Partial<MachineSetSpec> } = {}): MachineSet {
  return new MachineSet({
    metadata: { name: 'ms', namespace: NAMESPACE, uid: 'ms-uid', generation: 1, finalizers: [MachineSetFinalizer], ...options.meta },
    spec: {
      clusterName: CLUSTER_NAME,
      replicas: 1,
      selector: { matchLabels: { 'label-1': 'true' } },
      template: {
        metadata: { labels: { 'label-1': 'true' }, annotations: { 'annotation-1': 'true', precedence: 'MachineSet' } },
        spec: {
          clusterName: CLUSTER_NAME,
          version: 'v1.14.2',
          bootstrap: { configRef: { apiVersion: BootstrapApiVersion, kind: 'GenericBootstrapConfigTemplate', name: 'ms-template' } },
          infrastructureRef: { apiVersion: InfrastructureApiVersion, kind: 'GenericInfrastructureMachineTemplate', name: 'ms-template' },
        },
      },
      ...options.spec,
    },
  })
}

/** A Machine `name` that belongs to the set `ms` (labels match its selector; controller ownerRef unless `orphan`). */
export function newMachine(
  name: string,
  options: { orphan?: boolean; controller?: string; meta?: ObjectMeta; conditions?: Condition[]; nodeRef?: boolean } = {},
): Machine {
  const controller = options.controller ?? 'ms'
  return new Machine({
    metadata: {
      name,
      namespace: NAMESPACE,
      labels: { 'label-1': 'true', [ClusterNameLabel]: CLUSTER_NAME },
      ...(options.orphan
        ? {}
        : {
            ownerReferences: [
              { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineSet', name: controller, uid: `${controller}-uid`, controller: true },
            ],
          }),
      ...options.meta,
    },
    spec: {
      clusterName: CLUSTER_NAME,
      bootstrap: {},
      infrastructureRef: { apiVersion: InfrastructureApiVersion, kind: 'GenericInfrastructureMachine', name },
    },
    status: { ...(options.nodeRef ? { nodeRef: { name: `${name}-node` } } : {}), ...(options.conditions ? { conditions: options.conditions } : {}) },
  })
}

/** A True condition of the given type. */
export function trueCondition(type: string): Condition {
  return { type, status: 'True', reason: type }
}

/** Names of the Machines, BootstrapConfigs and InfraMachines in the test namespace. */
export async function inventory(client: Client): Promise<{ machines: string[]; bootstrapConfigs: string[]; infraMachines: string[] }> {
  const machines = await client.list(new MachineList(), { namespace: NAMESPACE })
  const bootstrapConfigs = await client.list(new GenericBootstrapConfigList(), { namespace: NAMESPACE })
  const infraMachines = await client.list(new GenericInfrastructureMachineList(), { namespace: NAMESPACE })
  const names = (items: KubeObject[]): string[] => items.map((o) => o.metadata.name ?? '')
  return { machines: names(machines.items), bootstrapConfigs: names(bootstrapConfigs.items), infraMachines: names(infraMachines.items) }
}

/** Reads the MachineSet `ms` back from the client. */
export async function getMachineSet(client: Client, name = 'ms'): Promise<MachineSet> {
  return client.get({ namespace: NAMESPACE, name }, new MachineSet())
}

/** Runs `fn` and returns what it rejected with; fails when it resolved. */
export async function rejectionOf(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn()
  } catch (err) {
    return err as Error
  }
  throw new Error('expected the call to reject')
}

/**
 * The whole reconcile, ported by behaviour from Cluster API's TestMachineSetReconcile, TestMachineSetReconciler
 * (scale up, scale down, deletion) and TestMachineSetReconciler_reconcileDelete. Each test builds its own Scheme and
 * fake client through `newEnv`.
 */
import { describe, expect, it } from 'vitest'
import { Machine } from '../../example-controller/api/machine.ts'
import { MachineSet } from '../../example-controller/api/machineset.ts'
import type { KubeList, KubeObject } from '../../example-controller/api/meta.ts'
import { addClusterApiToScheme } from '../../example-controller/api/register.ts'
import { FakeClientBuilder } from '../../example-controller/client/builder.ts'
import { seededRandom } from '../../example-controller/client/random.ts'
import type { Client, ListOptions, ObjectKey } from '../../example-controller/client/types.ts'
import { getCondition } from '../../example-controller/machineset/conditions.ts'
import { MachineSetReconciler, compareResourceVersions } from '../../example-controller/machineset/reconciler.ts'
import { reconcileDelete } from '../../example-controller/machineset/reconcile-delete.ts'
import { newScope } from '../../example-controller/machineset/scope.ts'
import { fixedClock } from '../../example-controller/machineset/sources.ts'
import { Scheme } from '../../example-controller/scheme/scheme.ts'
import {
  NAMESPACE,
  NOW,
  getMachineSet,
  inventory,
  newBootstrapTemplate,
  newCluster,
  newEnv,
  newInfraTemplate,
  newMachine,
  newMachineSet,
  rejectionOf,
  trueCondition,
} from './machineset-helpers.ts'

const request = { namespace: NAMESPACE, name: 'ms' }
const allObjects = (ms: MachineSet, ...rest: KubeObject[]): KubeObject[] => [newCluster(), ms, newInfraTemplate(), newBootstrapTemplate(), ...rest]

describe('reconcile: reading the set', () => {
  it('is done when the MachineSet does not exist', async () => {
    const { reconciler, client } = newEnv({ objects: [newCluster()] })
    expect(await reconciler.reconcile(request)).toStrictEqual({})
    expect(await inventory(client)).toStrictEqual({ machines: [], bootstrapConfigs: [], infraMachines: [] })
  })

  it('fails when the Cluster does not exist', async () => {
    const { reconciler } = newEnv({ objects: [newMachineSet()] })
    const err = await rejectionOf(() => reconciler.reconcile(request))
    expect(err.message).toBe('failed to get Cluster default/test-cluster: clusters.cluster.x-k8s.io "test-cluster" not found')
  })

  it('adds the finalizer first and returns without doing anything else', async () => {
    const { reconciler, client } = newEnv({ objects: allObjects(newMachineSet({ meta: { finalizers: [] } })) })
    expect(await reconciler.reconcile(request)).toStrictEqual({})
    const stored = await getMachineSet(client)
    expect(stored.metadata.finalizers).toStrictEqual(['cluster.x-k8s.io/machineset'])
    expect(stored.status).toStrictEqual({})
    expect((await inventory(client)).machines).toStrictEqual([])
  })

  it('does not add the finalizer to a set that is already being deleted', async () => {
    const ms = newMachineSet({ meta: { finalizers: ['other/finalizer'], deletionTimestamp: NOW } })
    const { reconciler, client } = newEnv({ objects: allObjects(ms) })
    await reconciler.reconcile(request)
    expect((await getMachineSet(client)).metadata.finalizers).toStrictEqual(['other/finalizer'])
  })
})

describe('reconcile: pausing', () => {
  it.each([
    { desc: 'the Cluster is paused', cluster: newCluster({}, true), meta: {}, message: 'Cluster spec.paused is set to true' },
    { desc: 'the set has the paused annotation', cluster: newCluster(), meta: { annotations: { 'cluster.x-k8s.io/paused': '' } }, message: 'MachineSet has the cluster.x-k8s.io/paused annotation' },
  ])('stops when $desc, with the Paused condition saying why', async ({ cluster, meta, message }) => {
    const { reconciler, client } = newEnv({ objects: [cluster, newMachineSet({ meta, spec: { replicas: 2 } }), newInfraTemplate(), newBootstrapTemplate()] })
    expect(await reconciler.reconcile(request)).toStrictEqual({})
    expect((await inventory(client)).machines).toStrictEqual([])
    const stored = await getMachineSet(client)
    expect(stored.status.conditions).toStrictEqual([{ type: 'Paused', status: 'True', reason: 'Paused', message, lastTransitionTime: NOW }])
  })

  it('sets Paused False and goes on when nothing pauses the set', async () => {
    const { reconciler, client } = newEnv({ objects: allObjects(newMachineSet()) })
    await reconciler.reconcile(request)
    expect(getCondition(await getMachineSet(client), 'Paused')).toStrictEqual({ type: 'Paused', status: 'False', reason: 'NotPaused', lastTransitionTime: NOW })
    expect((await inventory(client)).machines).toHaveLength(1)
  })
})

describe('reconcile: scaling', () => {
  it('scales up from zero and writes owner, labels, status and observedGeneration in the final patch', async () => {
    const { reconciler, client, recorder } = newEnv({ objects: allObjects(newMachineSet({ meta: { generation: 4 }, spec: { replicas: 2 } })) })

    // New Machines are not ready yet, so the reconciler asks to look again in 15 s.
    expect(await reconciler.reconcile(request)).toStrictEqual({ requeueAfter: 15_000 })

    const { machines, bootstrapConfigs, infraMachines } = await inventory(client)
    expect(machines).toHaveLength(2)
    expect(bootstrapConfigs).toStrictEqual(machines)
    expect(infraMachines).toStrictEqual(machines)
    const stored = await getMachineSet(client)
    expect(stored.metadata.labels).toStrictEqual({ 'cluster.x-k8s.io/cluster-name': 'test-cluster' })
    expect(stored.metadata.ownerReferences).toStrictEqual([{ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', name: 'test-cluster', uid: 'cluster-uid' }])
    expect(stored.status.observedGeneration).toBe(4)
    // The status was computed from the Machines listed before they were created (upstream does the same).
    expect(stored.status.replicas).toBe(0)
    expect(stored.status.selector).toBe('cluster.x-k8s.io/cluster-name=test-cluster,label-1=true')
    expect(recorder.lines()).toStrictEqual(machines.map((name) => `Normal SuccessfulCreate Created machine "${name}"`))
  })

  it('converges: a second reconcile creates nothing more and counts the Machines', async () => {
    const { reconciler, client } = newEnv({ objects: allObjects(newMachineSet({ spec: { replicas: 3 } })) })
    await reconciler.reconcile(request)
    await reconciler.reconcile(request)
    expect((await inventory(client)).machines).toHaveLength(3)
    expect((await getMachineSet(client)).status).toMatchObject({ replicas: 3, readyReplicas: 0, availableReplicas: 0, upToDateReplicas: 0 })
  })

  it('scales down in deletion order (Oldest)', async () => {
    const ms = newMachineSet({ spec: { replicas: 1, deletion: { order: 'Oldest' } } })
    const ready = [trueCondition('Ready')]
    const young = newMachine('young', { nodeRef: true, conditions: ready, meta: { creationTimestamp: '2026-02-28T12:00:00Z', finalizers: ['machine.cluster.x-k8s.io'] } })
    const old = newMachine('old', { nodeRef: true, conditions: ready, meta: { creationTimestamp: '2026-01-01T12:00:00Z', finalizers: ['machine.cluster.x-k8s.io'] } })
    const middle = newMachine('middle', { nodeRef: true, conditions: ready, meta: { creationTimestamp: '2026-02-01T12:00:00Z', finalizers: ['machine.cluster.x-k8s.io'] } })
    const { reconciler, client, recorder } = newEnv({ objects: allObjects(ms, young, old, middle) })

    await reconciler.reconcile(request)

    const deleting = await Promise.all(['young', 'old', 'middle'].map((name) => client.get({ namespace: NAMESPACE, name }, new Machine())))
    expect(deleting.map((m) => [m.metadata.name, m.metadata.deletionTimestamp !== undefined])).toStrictEqual([
      ['young', false],
      ['old', true],
      ['middle', true],
    ])
    expect(recorder.lines()).toStrictEqual(['Normal SuccessfulDelete Deleted machine "old"', 'Normal SuccessfulDelete Deleted machine "middle"'])
  })

  it('fails for an unknown deletion order, listing the valid ones', async () => {
    const ms = newMachineSet({ spec: { replicas: 0, deletion: { order: 'Youngest' as 'Oldest' } } })
    const { reconciler } = newEnv({ objects: allObjects(ms, newMachine('m1')) })
    const err = await rejectionOf(() => reconciler.reconcile(request))
    expect(err.message).toBe("failed to sync replicas: Unsupported deletion order Youngest. Must be one of 'Random', 'Newest', or 'Oldest'")
  })
})

describe('reconcile: errors', () => {
  it('runs every phase after an error, aggregates the errors, and does not set observedGeneration', async () => {
    const ms = newMachineSet({ meta: { generation: 2 } })
    // No templates: both template phases fail, yet Machines are still listed and the status is still written.
    const { reconciler, client } = newEnv({ objects: [newCluster(), ms, newMachine('m1')] })
    const err = await rejectionOf(() => reconciler.reconcile(request))
    expect(err.message).toContain('failed to reconcile infrastructure: genericinfrastructuremachinetemplates.infrastructure.cluster.x-k8s.io "ms-template" not found')
    expect(err.message).toContain('failed to reconcile bootstrapConfig: genericbootstrapconfigtemplates.bootstrap.cluster.x-k8s.io "ms-template" not found')
    expect((err as AggregateError).errors).toHaveLength(2)
    const stored = await getMachineSet(client)
    expect(stored.status.replicas).toBe(1)
    expect(stored.status.observedGeneration).toBeUndefined()
    expect(getCondition(stored, 'ScalingUp')).toMatchObject({
      status: 'False',
      reason: 'NotScalingUp',
      message: 'Scaling up would be blocked because GenericBootstrapConfigTemplate and GenericInfrastructureMachineTemplate do not exist',
    })
  })

  it('does not scale when listing Machines failed: the error is reported and the counters are Unknown', async () => {
    const ms = newMachineSet({ spec: { replicas: 2 } })
    let failing = true
    const { reconciler, client } = newEnv({
      objects: allObjects(ms, newMachine('m1'), newMachine('m2')),
      interceptors: {
        list: async (c: Client, list: KubeList, opts: ListOptions) => {
          if (failing && list.kind === 'MachineList') throw new Error('cache not synced')
          return c.list(list, opts)
        },
      },
    })
    const err = await rejectionOf(() => reconciler.reconcile(request))
    failing = false
    expect(err.message).toBe('failed to get and adopt Machines for MachineSet: failed to list machines: cache not synced')
    // Without the guard, an empty Machine list would make syncReplicas create two more Machines.
    expect((await inventory(client)).machines).toStrictEqual(['m1', 'm2'])
    const stored = await getMachineSet(client)
    expect(getCondition(stored, 'ScalingUp')).toMatchObject({ status: 'Unknown', reason: 'InternalError', message: 'Please check controller logs for errors' })
    expect(stored.status.replicas).toBeUndefined()
  })

  it('still patches the status when creating Machines fails (hold off, through the whole reconcile)', async () => {
    const ms = newMachineSet({ spec: { replicas: 2 } })
    const { reconciler, client } = newEnv({
      objects: allObjects(ms),
      interceptors: {
        create: async (c: Client, obj: KubeObject) => {
          if (obj.kind === 'GenericInfrastructureMachine') throw new Error('inject error for create machineInfrastructure')
          return c.create(obj)
        },
      },
    })
    const err = await rejectionOf(() => reconciler.reconcile(request))
    expect(err.message).toMatch(/^failed to sync replicas: failed to clone infrastructure machine .*inject error for create machineInfrastructure$/)
    const stored = await getMachineSet(client)
    expect(getCondition(stored, 'MachinesCreated')).toMatchObject({ status: 'False', reason: 'InfrastructureTemplateCloningFailed' })
    expect(getCondition(stored, 'Resized')).toMatchObject({ status: 'False', reason: 'ScalingUp', message: 'Scaling up MachineSet to 2 replicas (actual 0)' })
    expect(await inventory(client)).toStrictEqual({ machines: [], bootstrapConfigs: [], infraMachines: [] })
  })
})

describe('reconcile: over-creation guard', () => {
  it('requeues after 100 ms while reads return an older MachineSet than the reconciler last wrote', async () => {
    const ms = newMachineSet({ spec: { replicas: 1 } })
    let stale: MachineSet | undefined
    const { reconciler, client } = newEnv({
      objects: allObjects(ms),
      interceptors: {
        get: async (c: Client, key: ObjectKey, obj: KubeObject) => {
          await c.get(key, obj)
          // A lagging cache: serve the first MachineSet read again.
          if (obj.kind === 'MachineSet') {
            if (stale === undefined) stale = structuredClone(obj as MachineSet)
            else if (serveStale) Object.assign(obj, structuredClone(stale))
          }
          return obj
        },
      },
    })
    let serveStale = true
    await reconciler.reconcile(request)
    expect((await inventory(client)).machines).toHaveLength(1)

    // The stale read still says "no Machines"; acting on it would create a second Machine.
    expect(await reconciler.reconcile(request)).toStrictEqual({ requeueAfter: 100 })
    expect((await inventory(client)).machines).toHaveLength(1)

    serveStale = false
    expect(await reconciler.reconcile(request)).toStrictEqual({ requeueAfter: 15_000 })
    expect((await inventory(client)).machines).toHaveLength(1)
  })

  it('compares resourceVersions as integers', () => {
    expect([compareResourceVersions('9', '10'), compareResourceVersions('10', '10'), compareResourceVersions('11', '10'), compareResourceVersions('x', '10')]).toStrictEqual([-1, 0, 1, 0])
  })
})

describe('reconcileDelete', () => {
  it('deletes every Machine not yet deleting and keeps the finalizer while Machines exist', async () => {
    const ms = newMachineSet({ meta: { deletionTimestamp: NOW } })
    const finalizers = { finalizers: ['machine.cluster.x-k8s.io'] }
    const { reconciler, client } = newEnv({
      objects: allObjects(ms, newMachine('m1', { meta: finalizers }), newMachine('m2', { meta: { ...finalizers, deletionTimestamp: '2026-03-01T11:00:00Z' } })),
    })
    // Deleting sets wait for the Machine watch instead of polling.
    expect(await reconciler.reconcile(request)).toStrictEqual({})
    const machines = await Promise.all(['m1', 'm2'].map((name) => client.get({ namespace: NAMESPACE, name }, new Machine())))
    expect(machines.map((m) => m.metadata.deletionTimestamp)).toStrictEqual(['2026-03-01T12:00:00Z', '2026-03-01T11:00:00Z'])
    expect((await getMachineSet(client)).metadata.finalizers).toStrictEqual(['cluster.x-k8s.io/machineset'])
  })

  it('removes the finalizer once no Machines are left, and the set goes away', async () => {
    const { reconciler, client } = newEnv({ objects: allObjects(newMachineSet({ meta: { deletionTimestamp: NOW } })) })
    expect(await reconciler.reconcile(request)).toStrictEqual({})
    const err = await rejectionOf(() => getMachineSet(client))
    expect(err.message).toBe('machinesets.cluster.x-k8s.io "ms" not found')
  })

  it('keeps the finalizer when listing Machines failed', async () => {
    const ms = newMachineSet({ meta: { deletionTimestamp: NOW } })
    const { deps } = newEnv({ objects: allObjects(ms) })
    // getAndAdoptMachinesSucceeded stays false: `machines` is empty only because listing failed.
    const scope = newScope(ms, newCluster(), new Date(NOW))
    expect(await reconcileDelete(deps, scope)).toStrictEqual({})
    expect(ms.metadata.finalizers).toStrictEqual(['cluster.x-k8s.io/machineset'])
  })

  it('tolerates Machines that are already gone and wraps other delete errors', async () => {
    const ms = newMachineSet({ meta: { deletionTimestamp: NOW } })
    const { deps } = newEnv({
      objects: allObjects(ms, newMachine('m2')),
      interceptors: {
        delete: async (c: Client, obj: KubeObject) => {
          if (obj.metadata.name === 'm2') throw new Error('forbidden')
          return c.delete(obj)
        },
      },
    })
    const scope = newScope(ms, newCluster(), new Date(NOW))
    scope.getAndAdoptMachinesSucceeded = true
    scope.machines = [newMachine('m1-already-gone'), newMachine('m2')]
    const err = await rejectionOf(() => reconcileDelete(deps, scope))
    expect(err.message).toBe('failed to delete Machine default/m2: forbidden')
  })
})

describe('the shared-scheme trap, seen from the reconciler', () => {
  it('listing unregistered provider kinds registers <Kind>List into the client’s scheme', async () => {
    // Like Cluster API's tests: the scheme knows only the core kinds; provider objects are unstructured.
    const scheme = new Scheme('core-only')
    addClusterApiToScheme(scheme)
    const ms = newMachineSet()
    const unstructured = (obj: KubeObject): KubeObject => JSON.parse(JSON.stringify(obj)) as KubeObject
    const client = new FakeClientBuilder()
      .withScheme(scheme)
      .withObjects(newCluster(), ms, unstructured(newInfraTemplate()), unstructured(newBootstrapTemplate()))
      .withStatusSubresource(new MachineSet())
      .withClock(fixedClock(NOW))
      .build()
    const reconciler = new MachineSetReconciler({ client, random: seededRandom(1), clock: fixedClock(NOW) })
    const before = new Set(scheme.allKnownTypes().keys())

    await reconciler.reconcile(request)

    const added = [...scheme.allKnownTypes().keys()].filter((key) => !before.has(key)).sort()
    expect(added).toStrictEqual([
      'bootstrap.cluster.x-k8s.io/v1beta2, Kind=GenericBootstrapConfigList',
      'infrastructure.cluster.x-k8s.io/v1beta2, Kind=GenericInfrastructureMachineList',
    ])
  })
})

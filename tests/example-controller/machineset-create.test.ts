/**
 * Scaling up: createMachines and syncReplicas, ported from Cluster API's TestMachineSetReconciler_syncReplicas,
 * TestMachineSetReconciler_syncReplicas_WithErrors and TestComputeDesiredMachine. Every test builds its own Scheme
 * and fake client (`newEnv`).
 */
import { describe, expect, it } from 'vitest'
import { GenericBootstrapConfigList } from '../../example-controller/api/generic.ts'
import { Machine, MachineList } from '../../example-controller/api/machine.ts'
import type { KubeObject, Unstructured } from '../../example-controller/api/meta.ts'
import { UnstructuredList } from '../../example-controller/api/meta.ts'
import type { Client } from '../../example-controller/client/types.ts'
import { seededRandom } from '../../example-controller/client/random.ts'
import { getCondition } from '../../example-controller/machineset/conditions.ts'
import { createMachines } from '../../example-controller/machineset/create-machines.ts'
import { computeDesiredMachine, machineName } from '../../example-controller/machineset/desired-machine.ts'
import { newScope } from '../../example-controller/machineset/scope.ts'
import { syncReplicas } from '../../example-controller/machineset/sync-replicas.ts'
import {
  CLUSTER_NAME,
  NAMESPACE,
  NOW,
  inventory,
  newBootstrapTemplate,
  newCluster,
  newEnv,
  newInfraTemplate,
  newMachine,
  newMachineSet,
  rejectionOf,
} from './machineset-helpers.ts'

/** A Create interceptor that fails for one kind, optionally only from its n-th attempt on (1-based). */
function failCreate(kind: string, message: string, fromAttempt = 1): { create: (client: Client, obj: KubeObject) => Promise<unknown> } {
  let attempts = 0
  return {
    create: async (client, obj) => {
      if (obj.kind === kind && ++attempts >= fromAttempt) throw new Error(message)
      return client.create(obj)
    },
  }
}

function scopeFor(machineSet = newMachineSet(), machines: Machine[] = []) {
  const scope = newScope(machineSet, newCluster(), new Date(NOW))
  scope.machines = machines
  scope.getAndAdoptMachinesSucceeded = true
  return scope
}

describe('syncReplicas with errors', () => {
  it('should hold off on sync replicas when create Infrastructure of machine failed', async () => {
    const machineSet = newMachineSet({ spec: { replicas: 1 } })
    const { client, deps } = newEnv({
      objects: [newCluster(), machineSet, newInfraTemplate(), newBootstrapTemplate()],
      interceptors: failCreate('GenericInfrastructureMachine', 'inject error for create machineInfrastructure'),
    })
    const scope = scopeFor(machineSet)

    const err = await rejectionOf(() => syncReplicas(deps, scope))

    expect(err.message).toBe(
      'failed to clone infrastructure machine from GenericInfrastructureMachineTemplate default/ms-template while creating a machine: inject error for create machineInfrastructure',
    )
    expect(getCondition(machineSet, 'MachinesCreated')).toStrictEqual({
      type: 'MachinesCreated',
      status: 'False',
      reason: 'InfrastructureTemplateCloningFailed',
      message: 'inject error for create machineInfrastructure',
      lastTransitionTime: NOW,
    })
    // No Machine, and the BootstrapConfig made for it was deleted again: nothing leaks.
    expect(await inventory(client)).toStrictEqual({ machines: [], bootstrapConfigs: [], infraMachines: [] })
  })

  it('stops after the first infrastructure failure and rolls back only that Machine’s BootstrapConfig', async () => {
    const machineSet = newMachineSet({ spec: { replicas: 3 } })
    const { client, deps } = newEnv({
      objects: [newCluster(), machineSet, newInfraTemplate(), newBootstrapTemplate()],
      // The first InfraMachine is created, the second fails; the third Machine is never attempted.
      interceptors: failCreate('GenericInfrastructureMachine', 'quota exceeded', 2),
    })

    const err = await rejectionOf(() => createMachines(deps, machineSet, 3))

    expect(err.message).toMatch(/^failed to clone infrastructure machine .*: quota exceeded$/)
    const { machines, bootstrapConfigs, infraMachines } = await inventory(client)
    expect(machines).toHaveLength(1)
    expect(bootstrapConfigs).toStrictEqual(machines)
    expect(infraMachines).toStrictEqual(machines)
    expect(getCondition(machineSet, 'MachinesCreated')?.reason).toBe('InfrastructureTemplateCloningFailed')
  })

  it('stops on a bootstrap failure without creating an InfraMachine', async () => {
    const machineSet = newMachineSet({ spec: { replicas: 2 } })
    const { client, deps } = newEnv({
      objects: [newCluster(), machineSet, newInfraTemplate(), newBootstrapTemplate()],
      interceptors: failCreate('GenericBootstrapConfig', 'bootstrap provider down'),
    })

    const err = await rejectionOf(() => syncReplicas(deps, scopeFor(machineSet)))

    expect(err.message).toBe(
      'failed to clone bootstrap configuration from GenericBootstrapConfigTemplate default/ms-template while creating a machine: bootstrap provider down',
    )
    expect(getCondition(machineSet, 'MachinesCreated')).toMatchObject({ status: 'False', reason: 'BootstrapTemplateCloningFailed', message: 'bootstrap provider down' })
    expect(await inventory(client)).toStrictEqual({ machines: [], bootstrapConfigs: [], infraMachines: [] })
  })

  it('deletes both cloned objects when the Machine itself fails, and goes on with the next Machine', async () => {
    const machineSet = newMachineSet({ spec: { replicas: 2 } })
    const { client, deps, recorder } = newEnv({
      objects: [newCluster(), machineSet, newInfraTemplate(), newBootstrapTemplate()],
      interceptors: (() => {
        let machines = 0
        return {
          create: async (c: Client, obj: KubeObject) => {
            if (obj.kind === 'Machine' && ++machines === 1) throw new Error('admission webhook denied')
            return c.create(obj)
          },
        }
      })(),
    })

    const err = await rejectionOf(() => createMachines(deps, machineSet, 2))

    expect(err.message).toBe('admission webhook denied')
    const { machines, bootstrapConfigs, infraMachines } = await inventory(client)
    expect(machines).toHaveLength(1)
    expect(bootstrapConfigs).toStrictEqual(machines)
    expect(infraMachines).toStrictEqual(machines)
    expect(getCondition(machineSet, 'MachinesCreated')).toMatchObject({ status: 'False', reason: 'MachineCreationFailed' })
    expect(recorder.lines()).toStrictEqual([
      'Warning FailedCreate Failed to create machine: admission webhook denied',
      `Normal SuccessfulCreate Created machine "${machines[0]}"`,
    ])
  })

  it('fails when spec.replicas is unset', async () => {
    const machineSet = newMachineSet()
    delete machineSet.spec.replicas
    const { deps } = newEnv({ objects: [newCluster(), machineSet] })
    const err = await rejectionOf(() => syncReplicas(deps, scopeFor(machineSet)))
    expect(err.message).toBe('the Replicas field in Spec for MachineSet ms is nil, this should not be allowed')
  })
})

describe('syncReplicas scaling up', () => {
  it('creates each Machine from its templates: BootstrapConfig, InfraMachine, then the Machine', async () => {
    const machineSet = newMachineSet({ spec: { replicas: 2 } })
    const { client, deps } = newEnv({ objects: [newCluster(), machineSet, newInfraTemplate(), newBootstrapTemplate()], seed: 5 })
    const random = seededRandom(5)
    const expectedNames = [machineName('ms', random), machineName('ms', random)]

    await syncReplicas(deps, scopeFor(machineSet))

    const machines = await client.list(new MachineList(), { namespace: NAMESPACE })
    expect(machines.items.map((m) => m.metadata.name)).toStrictEqual([...expectedNames].sort())
    const [name] = expectedNames as [string, string]
    const machine = machines.items.find((m) => m.metadata.name === name) as Machine
    expect(machine.metadata.ownerReferences).toStrictEqual([
      { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineSet', name: 'ms', uid: 'ms-uid', controller: true, blockOwnerDeletion: true },
    ])
    expect(machine.metadata.finalizers).toStrictEqual(['machine.cluster.x-k8s.io'])
    expect(machine.metadata.labels).toStrictEqual({ 'label-1': 'true', 'cluster.x-k8s.io/set-name': 'ms' })
    expect(machine.spec.bootstrap.configRef).toStrictEqual({
      apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2',
      kind: 'GenericBootstrapConfig',
      name,
      namespace: NAMESPACE,
    })
    expect(machine.spec.infrastructureRef).toStrictEqual({
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
      kind: 'GenericInfrastructureMachine',
      name,
      namespace: NAMESPACE,
    })

    const infra = (await client.list(new UnstructuredList({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2', kind: 'GenericInfrastructureMachineList' }), { namespace: NAMESPACE })).items.find((o) => o.metadata.name === name) as Unstructured
    expect(infra.metadata).toStrictEqual({
      name,
      namespace: NAMESPACE,
      resourceVersion: '1',
      labels: { 'label-1': 'true', 'cluster.x-k8s.io/set-name': 'ms', 'cluster.x-k8s.io/cluster-name': CLUSTER_NAME },
      // The MachineSet's template annotations override the infrastructure template's own.
      annotations: {
        precedence: 'MachineSet',
        'annotation-1': 'true',
        'cluster.x-k8s.io/cloned-from-name': 'ms-template',
        'cluster.x-k8s.io/cloned-from-groupkind': 'GenericInfrastructureMachineTemplate.infrastructure.cluster.x-k8s.io',
      },
      ownerReferences: [{ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineSet', name: 'ms', uid: 'ms-uid' }],
    })
    expect(infra.spec).toStrictEqual({ size: '3xlarge' })
    const bootstrapConfigs = await client.list(new GenericBootstrapConfigList(), { namespace: NAMESPACE })
    expect(bootstrapConfigs.items.map((o) => o.metadata.annotations?.['cluster.x-k8s.io/cloned-from-groupkind'])).toStrictEqual([
      'GenericBootstrapConfigTemplate.bootstrap.cluster.x-k8s.io',
      'GenericBootstrapConfigTemplate.bootstrap.cluster.x-k8s.io',
    ])
  })

  it('creates only the missing Machines', async () => {
    const machineSet = newMachineSet({ spec: { replicas: 3 } })
    const existing = newMachine('ms-existing')
    const { client, deps } = newEnv({ objects: [newCluster(), machineSet, newInfraTemplate(), newBootstrapTemplate(), existing] })
    await syncReplicas(deps, scopeFor(machineSet, [existing]))
    expect((await inventory(client)).machines).toHaveLength(3)
  })

  it('creates no Machines while the disable-machine-create annotation is set', async () => {
    const machineSet = newMachineSet({ meta: { annotations: { 'cluster.x-k8s.io/disable-machine-create': 'true' } }, spec: { replicas: 2 } })
    const { client, deps } = newEnv({ objects: [newCluster(), machineSet, newInfraTemplate(), newBootstrapTemplate()] })
    expect(await syncReplicas(deps, scopeFor(machineSet))).toStrictEqual({})
    expect(await inventory(client)).toStrictEqual({ machines: [], bootstrapConfigs: [], infraMachines: [] })
  })

  it('skips the bootstrap step for a set without a bootstrap config template', async () => {
    const machineSet = newMachineSet()
    delete machineSet.spec.template.spec.bootstrap.configRef
    machineSet.spec.template.spec.bootstrap.dataSecretName = 'bootstrap-data'
    const { client, deps } = newEnv({ objects: [newCluster(), machineSet, newInfraTemplate()] })
    await syncReplicas(deps, scopeFor(machineSet))
    const { machines, bootstrapConfigs } = await inventory(client)
    expect(machines).toHaveLength(1)
    expect(bootstrapConfigs).toStrictEqual([])
    const machine = await client.get({ namespace: NAMESPACE, name: machines[0] as string }, new Machine())
    expect(machine.spec.bootstrap).toStrictEqual({ dataSecretName: 'bootstrap-data' })
  })

  it('does nothing when listing Machines failed (scope.machines cannot be trusted)', async () => {
    const machineSet = newMachineSet({ spec: { replicas: 2 } })
    const { client, deps } = newEnv({ objects: [newCluster(), machineSet, newInfraTemplate(), newBootstrapTemplate()] })
    const scope = scopeFor(machineSet)
    scope.getAndAdoptMachinesSucceeded = false
    expect(await syncReplicas(deps, scope)).toStrictEqual({})
    expect(await inventory(client)).toStrictEqual({ machines: [], bootstrapConfigs: [], infraMachines: [] })
  })
})

describe('orphaned InfraMachines and BootstrapConfigs', () => {
  function leaked(kind: 'GenericInfrastructureMachine' | 'GenericBootstrapConfig', name: string, owner = 'ms'): Unstructured {
    const apiVersion = kind === 'GenericBootstrapConfig' ? 'bootstrap.cluster.x-k8s.io/v1beta2' : 'infrastructure.cluster.x-k8s.io/v1beta2'
    return {
      apiVersion,
      kind,
      metadata: {
        name,
        namespace: NAMESPACE,
        labels: { 'cluster.x-k8s.io/set-name': owner },
        ownerReferences: [{ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineSet', name: owner, uid: `${owner}-uid` }],
      },
    }
  }

  it('are deleted at the start of syncReplicas unless a Machine references them or another set owns them', async () => {
    const machineSet = newMachineSet({ spec: { replicas: 1 } })
    const kept = newMachine('ms-kept')
    const { client, deps } = newEnv({
      objects: [
        newCluster(),
        machineSet,
        kept,
        leaked('GenericInfrastructureMachine', 'ms-kept'),
        leaked('GenericInfrastructureMachine', 'ms-leaked'),
        leaked('GenericBootstrapConfig', 'ms-leaked'),
        leaked('GenericInfrastructureMachine', 'other-leaked', 'other'),
      ],
    })
    await syncReplicas(deps, scopeFor(machineSet, [kept]))
    expect(await inventory(client)).toStrictEqual({ machines: ['ms-kept'], bootstrapConfigs: [], infraMachines: ['ms-kept', 'other-leaked'] })
  })
})

describe('computeDesiredMachine (TestComputeDesiredMachine)', () => {
  it('computes a new Machine: fresh name, controller ownerRef, finalizer, labels, annotations, empty references', () => {
    const machineSet = newMachineSet()
    const machine = computeDesiredMachine(machineSet, undefined, seededRandom(1))
    expect(machine).toStrictEqual(
      new Machine({
        metadata: {
          name: machineName('ms', seededRandom(1)),
          namespace: NAMESPACE,
          ownerReferences: [{ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineSet', name: 'ms', uid: 'ms-uid', controller: true, blockOwnerDeletion: true }],
          labels: { 'label-1': 'true', 'cluster.x-k8s.io/set-name': 'ms' },
          annotations: { 'annotation-1': 'true', precedence: 'MachineSet' },
          finalizers: ['machine.cluster.x-k8s.io'],
        },
        spec: {
          clusterName: CLUSTER_NAME,
          version: 'v1.14.2',
          bootstrap: {},
          infrastructureRef: { apiVersion: '', kind: '', name: '' },
        },
      }),
    )
    expect(machine.metadata.name).toMatch(/^ms-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
  })

  it('keeps name, UID, finalizers and references of an existing Machine', () => {
    const machineSet = newMachineSet()
    const existing = newMachine('ms-abcde', { meta: { uid: 'm-uid', finalizers: ['foregroundDeletion'] } })
    existing.spec.bootstrap.configRef = { apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2', kind: 'GenericBootstrapConfig', name: 'ms-abcde' }
    const random = seededRandom(1)
    const machine = computeDesiredMachine(machineSet, existing, random)
    expect(machine.metadata).toMatchObject({ name: 'ms-abcde', uid: 'm-uid', finalizers: ['foregroundDeletion', 'machine.cluster.x-k8s.io'] })
    expect(machine.spec.bootstrap.configRef).toStrictEqual(existing.spec.bootstrap.configRef)
    expect(machine.spec.infrastructureRef).toStrictEqual(existing.spec.infrastructureRef)
    // An existing Machine keeps its name, so it draws nothing from the random source.
    expect(random()).toBe(seededRandom(1)())
  })

  it('propagates the deployment-name label and trims long set names to 63 characters', () => {
    const long = 'x'.repeat(70)
    const machineSet = newMachineSet({ meta: { name: long, labels: { 'cluster.x-k8s.io/deployment-name': 'md' } } })
    const machine = computeDesiredMachine(machineSet, undefined, seededRandom(2))
    expect(machine.metadata.name).toHaveLength(63)
    expect(machine.metadata.name?.startsWith('x'.repeat(57) + '-')).toBe(true)
    expect(machine.metadata.labels?.['cluster.x-k8s.io/deployment-name']).toBe('md')
  })

  it('never shares maps with the MachineSet template', () => {
    const machineSet = newMachineSet()
    const machine = computeDesiredMachine(machineSet, undefined, seededRandom(3))
    ;(machine.metadata.labels as Record<string, string>).extra = 'x'
    machine.spec.version = 'v2'
    expect(machineSet.spec.template.metadata?.labels).toStrictEqual({ 'label-1': 'true' })
    expect(machineSet.spec.template.spec.version).toBe('v1.14.2')
  })
})

describe('the scheme', () => {
  it('is left alone when the cloned kinds are registered types', async () => {
    const machineSet = newMachineSet()
    const { scheme, deps } = newEnv({ objects: [newCluster(), machineSet, newInfraTemplate(), newBootstrapTemplate()] })
    const before = [...scheme.allKnownTypes().keys()]
    await syncReplicas(deps, scopeFor(machineSet))
    expect([...scheme.allKnownTypes().keys()]).toStrictEqual(before)
  })
})

/**
 * Finding and adopting Machines, owner references, labels and template references, ported by behaviour from Cluster
 * API's TestAdoptOrphan, TestShouldExcludeMachine and TestMachineSetOwnerReference.
 */
import { describe, expect, it } from 'vitest'
import { Machine } from '../../example-controller/api/machine.ts'
import { GenericInfrastructureMachineTemplate } from '../../example-controller/api/generic.ts'
import type { KubeObject } from '../../example-controller/api/meta.ts'
import type { Client } from '../../example-controller/client/types.ts'
import { getAndAdoptMachines, shouldExcludeMachine } from '../../example-controller/machineset/adoption.ts'
import { reconcileOwnerAndLabels, shouldAdopt } from '../../example-controller/machineset/owner-and-labels.ts'
import { newScope } from '../../example-controller/machineset/scope.ts'
import { reconcileInfrastructureReference } from '../../example-controller/machineset/template-references.ts'
import {
  NAMESPACE,
  NOW,
  newCluster,
  newEnv,
  newInfraTemplate,
  newMachine,
  newMachineSet,
  rejectionOf,
} from './machineset-helpers.ts'

const controllerRef = { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineSet', name: 'ms', uid: 'ms-uid', controller: true, blockOwnerDeletion: true }

describe('getAndAdoptMachines', () => {
  it('returns the set’s Machines, adopts orphans and skips Machines of other controllers', async () => {
    const machineSet = newMachineSet()
    const owned = newMachine('owned')
    const orphan = newMachine('orphan', { orphan: true })
    const foreign = newMachine('foreign', { controller: 'other-ms' })
    const { client, recorder } = newEnv({ objects: [machineSet, owned, orphan, foreign] })

    const machines = await getAndAdoptMachines(client, machineSet, recorder)

    expect(machines.map((m) => m.metadata.name)).toStrictEqual(['orphan', 'owned'])
    const stored = await client.get({ namespace: NAMESPACE, name: 'orphan' }, new Machine())
    expect(stored.metadata.ownerReferences).toStrictEqual([controllerRef])
    const untouched = await client.get({ namespace: NAMESPACE, name: 'foreign' }, new Machine())
    expect(untouched.metadata.resourceVersion).toBe('999')
    expect(recorder.lines()).toStrictEqual(['Normal SuccessfulAdopt Adopted Machine "orphan"'])
  })

  it('keeps Machines that are being deleted (they count until they are gone)', async () => {
    const machineSet = newMachineSet()
    const deleting = newMachine('deleting', { meta: { deletionTimestamp: NOW, finalizers: ['machine.cluster.x-k8s.io'] } })
    const { client, recorder } = newEnv({ objects: [machineSet, deleting] })
    expect((await getAndAdoptMachines(client, machineSet, recorder)).map((m) => m.metadata.name)).toStrictEqual(['deleting'])
  })

  it('ignores Machines outside the selector or the namespace', async () => {
    const machineSet = newMachineSet()
    const otherLabels = newMachine('other-labels', { meta: { labels: { 'label-1': 'false' } } })
    const otherNamespace = newMachine('other-namespace', { meta: { namespace: 'elsewhere' } })
    const { client, recorder } = newEnv({ objects: [machineSet, otherLabels, otherNamespace] })
    expect(await getAndAdoptMachines(client, machineSet, recorder)).toStrictEqual([])
  })

  it('skips an orphan whose adoption fails and records a FailedAdopt event', async () => {
    const machineSet = newMachineSet()
    const { client, recorder } = newEnv({
      objects: [machineSet, newMachine('orphan', { orphan: true }), newMachine('owned')],
      interceptors: {
        patch: async (c: Client, obj: KubeObject, patch) => {
          if (obj.kind === 'Machine') throw new Error('etcd unavailable')
          return c.patch(obj, patch)
        },
      },
    })
    const machines = await getAndAdoptMachines(client, machineSet, recorder)
    expect(machines.map((m) => m.metadata.name)).toStrictEqual(['owned'])
    expect(recorder.lines()).toStrictEqual(['Warning FailedAdopt Failed to adopt Machine "orphan": etcd unavailable'])
  })

  it('wraps a list failure', async () => {
    const machineSet = newMachineSet()
    const { client, recorder } = newEnv({
      objects: [machineSet],
      interceptors: { list: async () => Promise.reject(new Error('connection refused')) },
    })
    const err = await rejectionOf(() => getAndAdoptMachines(client, machineSet, recorder))
    expect(err.message).toBe('failed to list machines: connection refused')
  })
})

describe('shouldExcludeMachine', () => {
  it.each([
    { desc: 'a Machine controlled by the set', machine: newMachine('m'), excluded: false },
    { desc: 'an orphan', machine: newMachine('m', { orphan: true }), excluded: false },
    { desc: 'a Machine controlled by another set', machine: newMachine('m', { controller: 'other' }), excluded: true },
    {
      desc: 'a Machine controlled by a set of the same name but another UID (a recreated set)',
      machine: newMachine('m', {
        meta: { ownerReferences: [{ ...controllerRef, uid: 'old-uid' }] },
      }),
      excluded: true,
    },
    {
      desc: 'a Machine with only a non-controller reference to another set',
      machine: newMachine('m', { meta: { ownerReferences: [{ ...controllerRef, name: 'other', uid: 'other-uid', controller: false }] } }),
      excluded: false,
    },
  ])('$desc → $excluded', ({ machine, excluded }) => {
    expect(shouldExcludeMachine(newMachineSet(), machine)).toBe(excluded)
  })
})

describe('owner references and labels', () => {
  it('a standalone set gets a non-controller ownerRef to its Cluster and the cluster-name label on set, selector and template', async () => {
    const machineSet = newMachineSet()
    const { deps } = newEnv({})
    await reconcileOwnerAndLabels(deps, newScope(machineSet, newCluster(), new Date(NOW)))
    expect(machineSet.metadata.ownerReferences).toStrictEqual([
      { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', name: 'test-cluster', uid: 'cluster-uid' },
    ])
    expect(machineSet.metadata.labels).toStrictEqual({ 'cluster.x-k8s.io/cluster-name': 'test-cluster' })
    expect(machineSet.spec.selector.matchLabels).toStrictEqual({ 'label-1': 'true', 'cluster.x-k8s.io/cluster-name': 'test-cluster' })
    expect(machineSet.spec.template.metadata?.labels).toStrictEqual({ 'label-1': 'true', 'cluster.x-k8s.io/cluster-name': 'test-cluster' })
  })

  it.each([
    { desc: 'owned by a MachineDeployment', meta: { ownerReferences: [{ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineDeployment', name: 'md', uid: 'md-uid', controller: true }] }, adopt: false },
    { desc: 'already owned by a Cluster', meta: { ownerReferences: [{ apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', name: 'test-cluster', uid: 'cluster-uid' }] }, adopt: false },
    { desc: 'labelled with a deployment name (restored from backup)', meta: { labels: { 'cluster.x-k8s.io/deployment-name': 'md' } }, adopt: false },
    { desc: 'owned by something of another API group', meta: { ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Cluster', name: 'x', uid: 'x' }] }, adopt: true },
    { desc: 'standalone', meta: {}, adopt: true },
  ])('shouldAdopt: a set $desc → $adopt', ({ meta, adopt }) => {
    expect(shouldAdopt(newMachineSet({ meta }))).toBe(adopt)
  })

  it('does not add a second Cluster ownerRef', async () => {
    const machineSet = newMachineSet({ meta: { ownerReferences: [{ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', name: 'test-cluster', uid: 'cluster-uid' }] } })
    const { deps } = newEnv({})
    await reconcileOwnerAndLabels(deps, newScope(machineSet, newCluster(), new Date(NOW)))
    expect(machineSet.metadata.ownerReferences).toHaveLength(1)
  })
})

describe('template references', () => {
  it('give the template a non-controller ownerRef to the Cluster', async () => {
    const machineSet = newMachineSet()
    const { client, deps } = newEnv({ objects: [newInfraTemplate()] })
    const scope = newScope(machineSet, newCluster(), new Date(NOW))
    await reconcileInfrastructureReference(deps, scope)
    const template = await client.get({ namespace: NAMESPACE, name: 'ms-template' }, new GenericInfrastructureMachineTemplate())
    expect(template.metadata.ownerReferences).toStrictEqual([
      { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', name: 'test-cluster', uid: 'cluster-uid' },
    ])
    expect(scope.infrastructureObjectNotFound).toBe(false)
  })

  it('report a missing template, as an error unless the set is being deleted', async () => {
    const { deps } = newEnv({})
    const scope = newScope(newMachineSet(), newCluster(), new Date(NOW))
    const err = await rejectionOf(() => reconcileInfrastructureReference(deps, scope))
    expect(err.message).toBe('genericinfrastructuremachinetemplates.infrastructure.cluster.x-k8s.io "ms-template" not found')
    expect(scope.infrastructureObjectNotFound).toBe(true)

    const deleting = newScope(newMachineSet({ meta: { deletionTimestamp: NOW } }), newCluster(), new Date(NOW))
    expect(await reconcileInfrastructureReference(deps, deleting)).toStrictEqual({})
    expect(deleting.infrastructureObjectNotFound).toBe(true)
  })
})

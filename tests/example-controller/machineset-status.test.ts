/**
 * Status, ported by behaviour from Cluster API's machineset_controller_status_test.go (Test_setReplicas,
 * Test_setScalingUpCondition, Test_setScalingDownCondition, Test_setMachinesReadyCondition) and
 * TestMachineSetReconciler_updateStatusResizedCondition / shouldRequeueForReplicaCountersRefresh.
 */
import { describe, expect, it } from 'vitest'
import type { Machine } from '../../example-controller/api/machine.ts'
import type { Condition } from '../../example-controller/api/meta.ts'
import { getCondition, setCondition } from '../../example-controller/machineset/conditions.ts'
import { newScope, type MachineSetScope } from '../../example-controller/machineset/scope.ts'
import {
  requeueForReplicaCounters,
  updateStatus,
  updateV1Beta1Conditions,
} from '../../example-controller/machineset/status.ts'
import { selectorMatches, selectorString } from '../../example-controller/machineset/selector.ts'
import { NOW, newCluster, newMachine, newMachineSet, trueCondition } from './machineset-helpers.ts'

const now = new Date(NOW)

function scope(options: { replicas?: number; machines?: Machine[]; listed?: boolean; deleting?: boolean } = {}): MachineSetScope {
  const ms = newMachineSet({ spec: { replicas: options.replicas ?? 2 }, meta: options.deleting ? { deletionTimestamp: NOW } : {} })
  const s = newScope(ms, newCluster(), now)
  s.machines = options.machines ?? []
  s.getAndAdoptMachinesSucceeded = options.listed ?? true
  return s
}

const machineWith = (name: string, ...conditions: Condition[]): Machine => newMachine(name, { conditions })

describe('replica counters and selector', () => {
  it('counts Machines by their Ready, Available and UpToDate conditions', () => {
    const s = scope({
      replicas: 3,
      machines: [
        machineWith('m1', trueCondition('Ready'), trueCondition('Available'), trueCondition('UpToDate')),
        machineWith('m2', trueCondition('Ready'), { type: 'Available', status: 'False' }),
        machineWith('m3', { type: 'Ready', status: 'Unknown' }, trueCondition('UpToDate')),
      ],
    })
    updateStatus(s, now)
    const { conditions: _conditions, ...counters } = s.machineSet.status
    expect(counters).toStrictEqual({
      selector: 'label-1=true',
      replicas: 3,
      readyReplicas: 2,
      availableReplicas: 1,
      upToDateReplicas: 2,
    })
  })

  it('keeps the previous counters when listing Machines failed', () => {
    const s = scope({ listed: false })
    s.machineSet.status.replicas = 5
    updateStatus(s, now)
    expect(s.machineSet.status.replicas).toBe(5)
    expect(s.machineSet.status.conditions?.map((c) => [c.type, c.status, c.reason])).toStrictEqual([
      ['ScalingUp', 'Unknown', 'InternalError'],
      ['ScalingDown', 'Unknown', 'InternalError'],
      ['MachinesReady', 'Unknown', 'InternalError'],
    ])
  })

  it('formats the selector like labels.SelectorFromSet: sorted key=value pairs', () => {
    expect(selectorString({ 'z-key': 'b', 'a-key': 'a' })).toBe('a-key=a,z-key=b')
    expect(selectorString({})).toBe('')
    expect(selectorMatches({ a: '1' }, { a: '1', b: '2' })).toBe(true)
    expect(selectorMatches({ a: '1' }, { a: '2' })).toBe(false)
  })
})

describe('ScalingUp and ScalingDown', () => {
  it.each([
    { desc: 'scaling up', replicas: 3, machines: 1, up: ['True', 'ScalingUp', 'Scaling up from 1 to 3 replicas'], down: ['False', 'NotScalingDown', undefined] },
    { desc: 'scaling down', replicas: 1, machines: 3, up: ['False', 'NotScalingUp', undefined], down: ['True', 'ScalingDown', 'Scaling down from 3 to 1 replicas'] },
    { desc: 'at the desired size', replicas: 2, machines: 2, up: ['False', 'NotScalingUp', undefined], down: ['False', 'NotScalingDown', undefined] },
  ])('$desc', ({ replicas, machines, up, down }) => {
    const s = scope({ replicas, machines: Array.from({ length: machines }, (_, i) => newMachine(`m${i}`)) })
    updateStatus(s, now)
    const summary = (type: string) => {
      const c = getCondition(s.machineSet, type)
      return [c?.status, c?.reason, c?.message]
    }
    expect(summary('ScalingUp')).toStrictEqual(up)
    expect(summary('ScalingDown')).toStrictEqual(down)
  })

  it('a deleting set scales down to zero', () => {
    const s = scope({ replicas: 2, deleting: true, machines: [newMachine('m1')] })
    updateStatus(s, now)
    expect(getCondition(s.machineSet, 'ScalingDown')?.message).toBe('Scaling down from 1 to 0 replicas')
  })

  it('says when scaling up is blocked by a missing template', () => {
    const s = scope({ replicas: 2 })
    s.infrastructureObjectNotFound = true
    updateStatus(s, now)
    expect(getCondition(s.machineSet, 'ScalingUp')?.message).toBe(
      'Scaling up from 0 to 2 replicas is blocked because:\n* GenericInfrastructureMachineTemplate does not exist',
    )
  })

  it('waits for spec.replicas', () => {
    const s = scope()
    delete s.machineSet.spec.replicas
    updateStatus(s, now)
    expect(getCondition(s.machineSet, 'ScalingUp')).toMatchObject({ status: 'Unknown', reason: 'WaitingForReplicasSet', message: 'Waiting for spec.replicas set' })
  })
})

describe('MachinesReady', () => {
  it.each([
    { desc: 'no Machines', machines: [], expected: { status: 'True', reason: 'NoReplicas' } },
    { desc: 'all ready', machines: [machineWith('m1', trueCondition('Ready'))], expected: { status: 'True', reason: 'Ready' } },
    {
      desc: 'one not ready, one not reported',
      machines: [
        machineWith('m1', { type: 'Ready', status: 'False', reason: 'NotReady', message: 'Node is draining' }),
        machineWith('m2'),
        machineWith('m3', trueCondition('Ready')),
      ],
      expected: { status: 'False', reason: 'NotReady', message: '* Machine m1: Node is draining\n* Machine m2: Condition Ready not yet reported' },
    },
    {
      desc: 'two unknown with the same message',
      machines: [machineWith('m1', { type: 'Ready', status: 'Unknown', message: 'waiting' }), machineWith('m2', { type: 'Ready', status: 'Unknown', message: 'waiting' })],
      expected: { status: 'Unknown', reason: 'ReadyUnknown', message: '* Machines m1, m2: waiting' },
    },
  ])('$desc', ({ machines, expected }) => {
    const s = scope({ machines })
    updateStatus(s, now)
    expect(getCondition(s.machineSet, 'MachinesReady')).toStrictEqual({ type: 'MachinesReady', lastTransitionTime: NOW, ...expected })
  })
})

describe('Resized and MachinesCreated (v1beta1)', () => {
  it('scaling up: Resized False ScalingUp, MachinesCreated left to createMachines', () => {
    const s = scope({ replicas: 2 })
    setCondition(s.machineSet, { type: 'MachinesCreated', status: 'False', reason: 'InfrastructureTemplateCloningFailed', message: 'boom' }, now)
    updateV1Beta1Conditions(s, now)
    expect(s.machineSet.status.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toStrictEqual([
      ['MachinesCreated', 'False', 'InfrastructureTemplateCloningFailed', 'boom'],
      ['Resized', 'False', 'ScalingUp', 'Scaling up MachineSet to 2 replicas (actual 0)'],
    ])
  })

  it('scaling down: Resized False ScalingDown, MachinesCreated True', () => {
    const s = scope({ replicas: 0, machines: [newMachine('m1')] })
    updateV1Beta1Conditions(s, now)
    expect(s.machineSet.status.conditions?.map((c) => [c.type, c.status, c.reason])).toStrictEqual([
      ['Resized', 'False', 'ScalingDown'],
      ['MachinesCreated', 'True', undefined],
    ])
  })

  it('Resized turns True only once every replica is ready', () => {
    const notReady = scope({ replicas: 1, machines: [newMachine('m1')] })
    updateV1Beta1Conditions(notReady, now)
    expect(getCondition(notReady.machineSet, 'Resized')).toBeUndefined()
    const ready = scope({ replicas: 1, machines: [machineWith('m1', trueCondition('Ready'))] })
    updateV1Beta1Conditions(ready, now)
    expect(getCondition(ready.machineSet, 'Resized')).toStrictEqual({ type: 'Resized', status: 'True', lastTransitionTime: NOW })
  })

  it('fails without spec.replicas', () => {
    const s = scope()
    delete s.machineSet.spec.replicas
    expect(() => updateV1Beta1Conditions(s, now)).toThrow('Cannot update status when MachineSet spec.replicas is not set')
  })

  it('keeps lastTransitionTime when only the message changes', () => {
    const s = scope()
    setCondition(s.machineSet, { type: 'Resized', status: 'False', reason: 'ScalingUp', message: 'a' }, new Date('2026-01-01T00:00:00Z'))
    setCondition(s.machineSet, { type: 'Resized', status: 'False', reason: 'ScalingUp', message: 'b' }, now)
    expect(getCondition(s.machineSet, 'Resized')?.lastTransitionTime).toBe('2026-01-01T00:00:00Z')
  })
})

describe('requeue for replica counters', () => {
  it.each([
    { desc: 'not every replica ready', replicas: 2, ready: 1, available: 1, minReadySeconds: 0, expected: { requeueAfter: 15_000 } },
    { desc: 'all ready and available', replicas: 2, ready: 2, available: 2, minReadySeconds: 0, expected: {} },
    { desc: 'all ready, not yet available, minReadySeconds set', replicas: 2, ready: 2, available: 1, minReadySeconds: 30, expected: { requeueAfter: 30_000 } },
    { desc: 'all ready, not yet available, no minReadySeconds', replicas: 2, ready: 2, available: 1, minReadySeconds: 0, expected: {} },
  ])('$desc → $expected', ({ replicas, ready, available, minReadySeconds, expected }) => {
    const ms = newMachineSet({ spec: { replicas } })
    ms.spec.template.spec.minReadySeconds = minReadySeconds
    ms.status = { readyReplicas: ready, availableReplicas: available }
    expect(requeueForReplicaCounters(ms)).toStrictEqual(expected)
  })
})

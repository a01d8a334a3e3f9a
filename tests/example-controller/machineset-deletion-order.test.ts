/**
 * Deletion order, ported from Cluster API's `machineset_deletion_order_test.go` (TestMachineToDelete,
 * TestMachineNewestDelete, TestMachineOldestDelete, TestMachineDeleteMultipleSamePriority, TestIsMachineHealthy).
 */
import { describe, expect, it } from 'vitest'
import { Machine } from '../../example-controller/api/machine.ts'
import type { Condition, ObjectMeta } from '../../example-controller/api/meta.ts'
import { seededRandom } from '../../example-controller/client/random.ts'
import {
  BETTER_DELETE,
  COULD_DELETE,
  MUST_DELETE,
  SHOULD_DELETE_FIRST,
  UnsupportedDeletionOrderError,
  getDeletePriorityFunc,
  isMachineHealthy,
  machinesToDeletePrioritized,
  newestDeletionOrder,
  oldestDeletionOrder,
  randomDeletionOrder,
  type DeletePriorityFunc,
} from '../../example-controller/machineset/deletion-order.ts'
import { shuffled } from '../../example-controller/machineset/sources.ts'

const now = new Date('2026-03-01T12:00:00Z')
const daysAgo = (days: number): string => new Date(now.getTime() - days * 86_400_000).toISOString()

function machine(meta: ObjectMeta, status: { nodeRef?: boolean; conditions?: Condition[] } = { nodeRef: true }): Machine {
  return new Machine({
    metadata: meta,
    status: { ...(status.nodeRef ? { nodeRef: { name: 'some-node' } } : {}), ...(status.conditions ? { conditions: status.conditions } : {}) },
  })
}
const condition = (type: string, status: Condition['status']): Condition => ({ type, status })

describe('random deletion order (TestMachineToDelete)', () => {
  // Upstream's Machines are nameless and Go's sort keeps their input order; here names make ties explicit, and the
  // Unknown-condition Machines sort after `healthy`, so picking them would show they were ranked as unhealthy.
  const healthy = machine({ name: 'healthy' })
  const mustDelete = machine({ name: 'must-delete', deletionTimestamp: now.toISOString() })
  const betterDelete = machine({ name: 'better-delete' }, { nodeRef: true, conditions: [condition('NodeHealthy', 'False')] })
  const annotated = machine({ name: 'annotated', annotations: { 'cluster.x-k8s.io/delete-machine': '' } })
  const noNodeRef = machine({ name: 'no-node-ref' }, {})
  const nodeHealthyUnknown = machine({ name: 'z-node-healthy-unknown' }, { nodeRef: true, conditions: [condition('NodeHealthy', 'Unknown')] })
  const healthCheckFalse = machine({ name: 'health-check-false' }, { nodeRef: true, conditions: [condition('HealthCheckSucceeded', 'False')] })
  const healthCheckUnknown = machine({ name: 'z-health-check-unknown' }, { nodeRef: true, conditions: [condition('HealthCheckSucceeded', 'Unknown')] })

  it.each([
    { desc: 'diff=0', diff: 0, machines: [healthy], expected: [] },
    { desc: 'diff>len(machines)', diff: 2, machines: [healthy], expected: [healthy] },
    { desc: 'diff>betterDelete', diff: 2, machines: [healthy, betterDelete, healthy], expected: [betterDelete, healthy] },
    { desc: 'diff<betterDelete', diff: 2, machines: [healthy, betterDelete, betterDelete, betterDelete], expected: [betterDelete, betterDelete] },
    { desc: 'diff<=mustDelete', diff: 2, machines: [healthy, mustDelete, betterDelete, mustDelete], expected: [mustDelete, mustDelete] },
    { desc: 'diff<=mustDelete+betterDelete', diff: 2, machines: [healthy, mustDelete, healthy, betterDelete], expected: [mustDelete, betterDelete] },
    { desc: 'diff<=mustDelete+betterDelete+couldDelete', diff: 2, machines: [healthy, mustDelete, healthy], expected: [mustDelete, healthy] },
    { desc: 'DeleteMachineAnnotation, diff=1', diff: 1, machines: [betterDelete, annotated, betterDelete], expected: [annotated] },
    { desc: 'MachineWithNoNodeRef, diff=1', diff: 1, machines: [healthy, noNodeRef, healthy], expected: [noNodeRef] },
    { desc: 'NodeHealthyConditionFalseMachine, diff=1', diff: 1, machines: [healthy, betterDelete, healthy], expected: [betterDelete] },
    { desc: 'NodeHealthyConditionUnknownMachine, diff=1', diff: 1, machines: [healthy, nodeHealthyUnknown, healthy], expected: [healthy] },
    { desc: 'HealthCheckSucceededConditionFalseMachine, diff=1', diff: 1, machines: [healthy, healthCheckFalse, healthy], expected: [healthCheckFalse] },
    { desc: 'HealthCheckSucceededConditionUnknownMachine, diff=1', diff: 1, machines: [healthy, healthCheckUnknown, healthy], expected: [healthy] },
  ])('func=randomDeletionOrder, $desc', ({ diff, machines, expected }) => {
    expect(machinesToDeletePrioritized(machines, diff, randomDeletionOrder, now)).toStrictEqual(expected)
  })
})

describe('newest deletion order (TestMachineNewestDelete)', () => {
  const mustDelete = machine({ name: 'must-delete', deletionTimestamp: now.toISOString() })
  const newest = machine({ name: 'newest', creationTimestamp: daysAgo(1) })
  const secondNewest = machine({ name: 'second-newest', creationTimestamp: daysAgo(5) })
  const secondOldest = machine({ name: 'second-oldest', creationTimestamp: daysAgo(10) })
  const oldest = machine({ name: 'oldest', creationTimestamp: daysAgo(10) })
  const annotated = machine({ name: 'annotated', creationTimestamp: daysAgo(10), annotations: { 'cluster.x-k8s.io/delete-machine': '' } })
  const unhealthy = machine({ name: 'unhealthy', creationTimestamp: daysAgo(10) }, { nodeRef: true, conditions: [condition('NodeHealthy', 'False')] })
  const noNodeRef = machine({ name: 'no-node-ref', creationTimestamp: daysAgo(1) }, {})
  const nodeHealthyUnknown = machine({ name: 'z-node-healthy-unknown', creationTimestamp: daysAgo(10) }, { nodeRef: true, conditions: [condition('NodeHealthy', 'Unknown')] })

  it.each([
    { desc: 'diff=1', diff: 1, machines: [secondNewest, oldest, secondOldest, mustDelete, newest], expected: [mustDelete] },
    { desc: 'diff=2', diff: 2, machines: [secondNewest, oldest, mustDelete, secondOldest, newest], expected: [mustDelete, newest] },
    { desc: 'diff=3', diff: 3, machines: [secondNewest, mustDelete, oldest, secondOldest, newest], expected: [mustDelete, newest, secondNewest] },
    { desc: 'diff=1 (DeleteMachineAnnotation)', diff: 1, machines: [secondNewest, oldest, secondOldest, newest, annotated], expected: [annotated] },
    { desc: 'diff=1 (deleteMachineWithoutNodeRef)', diff: 1, machines: [secondNewest, oldest, secondOldest, newest, noNodeRef], expected: [noNodeRef] },
    { desc: 'diff=1 (unhealthy)', diff: 1, machines: [secondNewest, oldest, secondOldest, newest, unhealthy], expected: [unhealthy] },
    // An Unknown NodeHealthy condition is not held against the Machine.
    { desc: 'diff=1 (nodeHealthyConditionUnknownMachine)', diff: 1, machines: [secondNewest, oldest, secondOldest, newest, nodeHealthyUnknown], expected: [newest] },
  ])('func=newestDeletionOrder, $desc', ({ diff, machines, expected }) => {
    expect(machinesToDeletePrioritized(machines, diff, newestDeletionOrder, now)).toStrictEqual(expected)
  })
})

describe('oldest deletion order (TestMachineOldestDelete)', () => {
  const empty = machine({ name: 'empty' })
  const newest = machine({ name: 'newest', creationTimestamp: daysAgo(1) })
  const secondNewest = machine({ name: 'second-newest', creationTimestamp: daysAgo(5) })
  const secondOldest = machine({ name: 'second-oldest', creationTimestamp: daysAgo(10) })
  const oldest = machine({ name: 'oldest', creationTimestamp: daysAgo(10) })
  const annotated = machine({ name: 'annotated', creationTimestamp: daysAgo(10), annotations: { 'cluster.x-k8s.io/delete-machine': '' } })
  const unhealthy = machine({ name: 'unhealthy', creationTimestamp: daysAgo(10) }, { nodeRef: true, conditions: [condition('NodeHealthy', 'False')] })
  const mustDelete = machine({ name: 'b', deletionTimestamp: now.toISOString() })
  const unhealthyA = machine({ name: 'a-unhealthy', creationTimestamp: daysAgo(10) }, { nodeRef: true, conditions: [condition('NodeHealthy', 'False')] })
  const unhealthyZ = machine({ name: 'z', creationTimestamp: daysAgo(10) }, { nodeRef: true, conditions: [condition('NodeHealthy', 'False')] })
  const noNodeRef = machine({ name: 'no-node-ref', creationTimestamp: daysAgo(10) }, {})
  const nodeHealthyUnknown = machine({ name: 'z-node-healthy-unknown', creationTimestamp: daysAgo(10) }, { nodeRef: true, conditions: [condition('NodeHealthy', 'Unknown')] })

  it.each([
    // Equal ages tie, and ties go by name: 'oldest' < 'second-oldest'.
    { desc: 'diff=1', diff: 1, machines: [empty, secondNewest, oldest, secondOldest, newest], expected: [oldest] },
    { desc: 'diff=2', diff: 2, machines: [secondNewest, oldest, secondOldest, newest, empty], expected: [oldest, secondOldest] },
    { desc: 'diff=3', diff: 3, machines: [secondNewest, oldest, secondOldest, newest, empty], expected: [oldest, secondOldest, secondNewest] },
    { desc: 'diff=4', diff: 4, machines: [secondNewest, oldest, secondOldest, newest, empty], expected: [oldest, secondOldest, secondNewest, newest] },
    { desc: 'diff=1 (DeleteMachineAnnotation)', diff: 1, machines: [empty, secondNewest, oldest, secondOldest, newest, annotated], expected: [annotated] },
    { desc: 'diff=1 (deleteMachineWithoutNodeRef)', diff: 1, machines: [empty, secondNewest, oldest, secondOldest, newest, noNodeRef], expected: [noNodeRef] },
    { desc: 'diff=1 (unhealthy)', diff: 1, machines: [empty, secondNewest, oldest, secondOldest, newest, unhealthy], expected: [unhealthy] },
    { desc: 'diff=1 (nodeHealthyConditionUnknownMachine)', diff: 1, machines: [empty, secondNewest, oldest, secondOldest, newest, nodeHealthyUnknown], expected: [oldest] },
    // A deleting Machine goes first whatever its name sorts like next to an unhealthy one.
    { desc: 'diff=1 (unhealthyMachineA)', diff: 1, machines: [empty, secondNewest, oldest, secondOldest, newest, mustDelete, unhealthyA], expected: [mustDelete] },
    { desc: 'diff=1 (unhealthyMachineZ)', diff: 1, machines: [empty, secondNewest, oldest, secondOldest, newest, mustDelete, unhealthyZ], expected: [mustDelete] },
  ])('func=oldestDeletionOrder, $desc', ({ diff, machines, expected }) => {
    expect(machinesToDeletePrioritized(machines, diff, oldestDeletionOrder, now)).toStrictEqual(expected)
  })
})

describe('machines with the same priority (TestMachineDeleteMultipleSamePriority)', () => {
  // All ten carry the delete-machine annotation, so every order gives them the same priority and names decide.
  const machines = Array.from({ length: 10 }, (_, i) => machine({ name: `machine-${i}`, annotations: { 'cluster.x-k8s.io/delete-machine': 'true' } }, {}))
  const cases: Array<{ order: string; fn: DeletePriorityFunc; diff: number; seed: number }> = []
  for (const [order, fn] of [['oldest', oldestDeletionOrder], ['random', randomDeletionOrder], ['newest', newestDeletionOrder]] as const) {
    for (const [diff, seed] of [[1, 11], [5, 12], [7, 13]] as const) cases.push({ order, fn, diff, seed })
  }

  it.each(cases)('func=$order, diff=$diff (shuffled with seed $seed)', ({ fn, diff, seed }) => {
    const input = shuffled(machines, seededRandom(seed))
    expect(machinesToDeletePrioritized(input, diff, fn, now).map((m) => m.metadata.name)).toStrictEqual(
      machines.slice(0, diff).map((m) => m.metadata.name),
    )
  })

  it('does not reorder the caller’s array', () => {
    const input = shuffled(machines, seededRandom(3))
    const before = input.map((m) => m.metadata.name)
    machinesToDeletePrioritized(input, 5, randomDeletionOrder, now)
    expect(input.map((m) => m.metadata.name)).toStrictEqual(before)
  })
})

describe('isMachineHealthy (TestIsMachineHealthy)', () => {
  it.each([
    { desc: 'when it has no NodeRef', m: machine({}, {}), expected: false },
    { desc: 'when nodeHealthyCondition is false', m: machine({}, { nodeRef: true, conditions: [condition('NodeHealthy', 'False')] }), expected: false },
    { desc: 'when nodeHealthyCondition is unknown', m: machine({}, { nodeRef: true, conditions: [condition('NodeHealthy', 'Unknown')] }), expected: true },
    { desc: 'when healthCheckSucceeded is false', m: machine({}, { nodeRef: true, conditions: [condition('HealthCheckSucceeded', 'False')] }), expected: false },
    { desc: 'when all requirements are met for node to be healthy', m: machine({}), expected: true },
  ])('$desc', ({ m, expected }) => {
    expect(isMachineHealthy(m)).toBe(expected)
  })
})

describe('priorities', () => {
  it('rank deleting, annotated, unhealthy, then the order’s own rule', () => {
    const annotated = machine({ annotations: { 'cluster.x-k8s.io/delete-machine': '' }, creationTimestamp: daysAgo(100) })
    const deleting = machine({ deletionTimestamp: now.toISOString(), annotations: { 'cluster.x-k8s.io/delete-machine': '' } })
    const unhealthy = machine({}, {})
    for (const fn of [randomDeletionOrder, oldestDeletionOrder, newestDeletionOrder]) {
      expect([fn(deleting, now), fn(annotated, now), fn(unhealthy, now)]).toStrictEqual([MUST_DELETE, SHOULD_DELETE_FIRST, BETTER_DELETE])
    }
    expect(randomDeletionOrder(machine({ creationTimestamp: daysAgo(3) }), now)).toBe(COULD_DELETE)
  })

  it('Oldest follows 50·(1−e^(−age/10 days)); zero or future creation times score 0; Newest is 50 − Oldest', () => {
    const tenDays = machine({ creationTimestamp: daysAgo(10) })
    expect(oldestDeletionOrder(tenDays, now)).toBeCloseTo(50 * (1 - Math.exp(-1)), 10)
    expect(newestDeletionOrder(tenDays, now)).toBeCloseTo(50 * Math.exp(-1), 10)
    expect(oldestDeletionOrder(machine({}), now)).toBe(0)
    expect(oldestDeletionOrder(machine({ creationTimestamp: '0001-01-01T00:00:00Z' }), now)).toBe(0)
    expect(oldestDeletionOrder(machine({ creationTimestamp: daysAgo(-1) }), now)).toBe(0)
    expect(newestDeletionOrder(machine({ creationTimestamp: daysAgo(-1) }), now)).toBe(50)
  })
})

describe('getDeletePriorityFunc', () => {
  it.each([
    { order: undefined, expected: randomDeletionOrder },
    { order: '', expected: randomDeletionOrder },
    { order: 'Random', expected: randomDeletionOrder },
    { order: 'Newest', expected: newestDeletionOrder },
    { order: 'Oldest', expected: oldestDeletionOrder },
  ])('maps $order to its priority function', ({ order, expected }) => {
    expect(getDeletePriorityFunc(order)).toBe(expected)
  })

  it('rejects an unknown order, listing the valid ones', () => {
    expect(() => getDeletePriorityFunc('Youngest')).toThrow(
      new UnsupportedDeletionOrderError('Youngest'),
    )
    expect(new UnsupportedDeletionOrderError('Youngest').message).toBe(
      "Unsupported deletion order Youngest. Must be one of 'Random', 'Newest', or 'Oldest'",
    )
  })
})

/**
 * Which Machines a MachineSet deletes first when it scales down (upstream `machineset_deletion_order.go`).
 *
 * Every order shares the same head: Machines already deleting go first (otherwise a scale-down would delete more
 * Machines while earlier ones are still going away), then Machines a user marked with the delete-machine annotation,
 * then unhealthy Machines (deleting them unblocks rollouts). Only the tail differs between Random, Newest and Oldest.
 * Upstream also ranks Machines with an in-place update in progress (75); this example has no in-place updates.
 */
import { HealthCheckSucceededCondition, NodeHealthyCondition } from '../api/conditions.ts'
import { DeleteMachineAnnotation } from '../api/labels.ts'
import { MachineSetDeletionOrders } from '../api/machineset.ts'
/** A number from 0 to 100; higher means "delete earlier". */
export type DeletePriority = number

/** Priority of a Machine that is already being deleted. */
export const MUST_DELETE: DeletePriority = 100
/** Priority of a Machine carrying the `cluster.x-k8s.io/delete-machine` annotation. */
export const SHOULD_DELETE_FIRST: DeletePriority = 80
/** Priority of an unhealthy Machine; also the ceiling of the age-based priorities. */
export const BETTER_DELETE: DeletePriority = 50
/** Priority of a healthy Machine under the Random order. */
export const COULD_DELETE: DeletePriority = 20
/** Priority of a Machine that should be kept (no or a future creation time under the Oldest order). */
export const MUST_NOT_DELETE: DeletePriority = 0

/** The time constant of the age curve: a Machine ten days old scores 50·(1−1/e) ≈ 31.6 under Oldest. */
export const SECONDS_PER_TEN_DAYS = 864000

type Timestamp = string | number | Date | null | undefined

/** The fields of a Machine that the deletion order reads. */
export interface DeletionCandidate {
  metadata: {
    name?: string
    annotations?: Record<string, string> | null
    creationTimestamp?: Timestamp
    deletionTimestamp?: Timestamp
  }
  status?: {
    nodeRef?: { name?: string } | null
    conditions?: ReadonlyArray<{ type: string; status: string }> | null
  } | null
}

/** Maps a Machine to its deletion priority; `now` is the reconciler's clock reading. */
export type DeletePriorityFunc = (machine: DeletionCandidate, now: Date) => DeletePriority

/** Go's zero `time.Time` (0001-01-01T00:00:00Z) in milliseconds: what an unset timestamp looks like on the wire. */
const GO_ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z')

/**
 * Milliseconds since the epoch, or undefined for an unset timestamp (missing, empty, unparsable, or Go's zero time).
 *
 * @example
 * timestampMillis('2026-01-01T00:00:00Z') // 1767225600000
 */
export function timestampMillis(ts: Timestamp): number | undefined {
  if (ts === null || ts === undefined || ts === '') return undefined
  const ms = ts instanceof Date ? ts.getTime() : typeof ts === 'number' ? ts : Date.parse(ts)
  if (Number.isNaN(ms) || ms <= GO_ZERO_TIME_MS) return undefined
  return ms
}

/**
 * Reports whether a Machine counts as healthy for prioritisation: it has a nodeRef, and neither NodeHealthy nor
 * HealthCheckSucceeded is False. Unknown conditions are not held against the Machine.
 *
 * @example
 * isMachineHealthy({ metadata: {}, status: { nodeRef: { name: 'n' } } }) // true
 */
export function isMachineHealthy(machine: DeletionCandidate): boolean {
  if (!machine.status?.nodeRef?.name) return false
  for (const condition of machine.status.conditions ?? []) {
    if ((condition.type === NodeHealthyCondition || condition.type === HealthCheckSucceededCondition) && condition.status === 'False') {
      return false
    }
  }
  return true
}

/** The priority shared by every order, or undefined when the order's own rule decides. */
function commonPriority(machine: DeletionCandidate): DeletePriority | undefined {
  if (timestampMillis(machine.metadata.deletionTimestamp) !== undefined) return MUST_DELETE
  if (machine.metadata.annotations && DeleteMachineAnnotation in machine.metadata.annotations) return SHOULD_DELETE_FIRST
  if (!isMachineHealthy(machine)) return BETTER_DELETE
  return undefined
}

/**
 * Random order: every healthy Machine gets {@link COULD_DELETE}; ties then fall to the name, as upstream does.
 *
 * @example
 * randomDeletionOrder(machine, new Date())
 */
export const randomDeletionOrder: DeletePriorityFunc = (machine) => commonPriority(machine) ?? COULD_DELETE

/**
 * Oldest order: older Machines score higher, `50·(1−e^(−age/864000 s))`; no or a future creation time scores 0.
 *
 * @example
 * oldestDeletionOrder(machine, new Date())
 */
export const oldestDeletionOrder: DeletePriorityFunc = (machine, now) => {
  const common = commonPriority(machine)
  if (common !== undefined) return common
  return agePriority(machine, now)
}

/**
 * Newest order: `50 − Oldest`, so the youngest Machines go first.
 *
 * @example
 * newestDeletionOrder(machine, new Date())
 */
export const newestDeletionOrder: DeletePriorityFunc = (machine, now) => {
  const common = commonPriority(machine)
  if (common !== undefined) return common
  return BETTER_DELETE - agePriority(machine, now)
}

function agePriority(machine: DeletionCandidate, now: Date): DeletePriority {
  const created = timestampMillis(machine.metadata.creationTimestamp)
  if (created === undefined) return MUST_NOT_DELETE
  const ageSeconds = (now.getTime() - created) / 1000
  if (ageSeconds < 0) return MUST_NOT_DELETE
  return BETTER_DELETE * (1 - Math.exp(-ageSeconds / SECONDS_PER_TEN_DAYS))
}

/** Thrown for a `spec.deletion.order` this controller does not know. */
export class UnsupportedDeletionOrderError extends Error {
  /** The order that was asked for. */
  readonly order: string
  constructor(order: string) {
    const quoted = MachineSetDeletionOrders.map((o) => `'${o}'`)
    super(`Unsupported deletion order ${order}. Must be one of ${quoted.slice(0, -1).join(', ')}, or ${quoted[quoted.length - 1]}`)
    this.name = 'UnsupportedDeletionOrderError'
    this.order = order
  }
}

/**
 * Returns the priority function for a deletion order; an empty or missing order means Random.
 *
 * @example
 * getDeletePriorityFunc('Oldest') === oldestDeletionOrder
 */
export function getDeletePriorityFunc(order: string | null | undefined): DeletePriorityFunc {
  switch (order ?? '') {
    case '':
    case 'Random':
      return randomDeletionOrder
    case 'Newest':
      return newestDeletionOrder
    case 'Oldest':
      return oldestDeletionOrder
    default:
      throw new UnsupportedDeletionOrderError(order ?? '')
  }
}

/**
 * Sorts Machines by priority (highest first, ties by name) and returns the first `diff` of them; the input array
 * is not modified.
 *
 * @example
 * machinesToDeletePrioritized(machines, 2, oldestDeletionOrder, new Date())
 */
export function machinesToDeletePrioritized<M extends DeletionCandidate>(
  machines: readonly M[],
  diff: number,
  priority: DeletePriorityFunc,
  now: Date,
): M[] {
  if (diff <= 0) return []
  // Priorities are computed once per Machine so the comparator is consistent even if the clock moves.
  const scored = machines.map((machine) => ({ machine, priority: priority(machine, now), name: machine.metadata.name ?? '' }))
  scored.sort((a, b) => {
    if (a.priority !== b.priority) return b.priority - a.priority
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
  })
  return scored.slice(0, diff).map((entry) => entry.machine)
}

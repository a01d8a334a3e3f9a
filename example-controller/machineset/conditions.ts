/**
 * Condition types and reasons the MachineSet controller sets, and small helpers to read and write conditions.
 *
 * Upstream keeps two condition sets: v1beta2 conditions (ScalingUp, ScalingDown, MachinesReady, Paused) and the
 * deprecated v1beta1 ones (MachinesCreated, Resized). The example API has one `status.conditions` list, so both live
 * there; v1beta1-style True conditions carry no reason, as `MarkTrue` upstream sets none.
 */
import {
  BootstrapTemplateCloningFailedReason,
  HealthCheckSucceededCondition,
  InfrastructureTemplateCloningFailedReason,
  MachineCreationFailedReason,
  MachinesCreatedCondition,
  MachinesReadyCondition,
  NodeHealthyCondition,
  ReadyCondition,
  ResizedCondition,
  ScalingDownCondition,
  ScalingUpCondition,
} from '../api/conditions.ts'
import type { Condition, ConditionStatus } from '../api/meta.ts'

/** Condition types on a MachineSet. */
export const MachineSetConditions = Object.freeze({
  ScalingUp: ScalingUpCondition,
  ScalingDown: ScalingDownCondition,
  MachinesReady: MachinesReadyCondition,
  MachinesCreated: MachinesCreatedCondition,
  Resized: ResizedCondition,
  Paused: 'Paused',
})

/** Reasons used on MachineSet conditions. */
export const MachineSetReasons = Object.freeze({
  ScalingUp: 'ScalingUp',
  NotScalingUp: 'NotScalingUp',
  ScalingDown: 'ScalingDown',
  NotScalingDown: 'NotScalingDown',
  WaitingForReplicasSet: 'WaitingForReplicasSet',
  InternalError: 'InternalError',
  MachinesReady: 'Ready',
  MachinesNotReady: 'NotReady',
  MachinesReadyUnknown: 'ReadyUnknown',
  NoReplicas: 'NoReplicas',
  BootstrapTemplateCloningFailed: BootstrapTemplateCloningFailedReason,
  InfrastructureTemplateCloningFailed: InfrastructureTemplateCloningFailedReason,
  MachineCreationFailed: MachineCreationFailedReason,
  Paused: 'Paused',
  NotPaused: 'NotPaused',
})

/** Condition types on a Machine that the MachineSet controller reads. */
export const MachineConditions = Object.freeze({
  Ready: ReadyCondition,
  Available: 'Available',
  UpToDate: 'UpToDate',
  NodeHealthy: NodeHealthyCondition,
  HealthCheckSucceeded: HealthCheckSucceededCondition,
})

/** The message upstream puts on conditions it cannot compute because listing Machines failed. */
export const INTERNAL_ERROR_MESSAGE = 'Please check controller logs for errors'

/**
 * Formats a time as a Kubernetes timestamp: RFC 3339 with whole seconds, as `metav1.Time` serialises.
 *
 * @example
 * kubeTimestamp(new Date('2026-03-01T12:00:00.123Z')) // '2026-03-01T12:00:00Z'
 */
export function kubeTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Anything with an optional `status.conditions` list. */
export interface WithConditions {
  status?: { conditions?: Condition[] } | null
}

/**
 * Returns the condition of the given type, or undefined.
 *
 * @example
 * getCondition(machineSet, 'MachinesCreated')?.reason
 */
export function getCondition(obj: WithConditions, type: string): Condition | undefined {
  return obj.status?.conditions?.find((c) => c.type === type)
}

/**
 * True when the condition exists and is True.
 *
 * @example
 * isTrue(machine, 'Ready')
 */
export function isTrue(obj: WithConditions, type: string): boolean {
  return getCondition(obj, type)?.status === 'True'
}

/**
 * True when the condition exists and is False (a missing condition is not False).
 *
 * @example
 * isFalse(machine, 'NodeHealthy')
 */
export function isFalse(obj: WithConditions, type: string): boolean {
  return getCondition(obj, type)?.status === 'False'
}

/** A condition to set: type, status and optionally reason and message. */
export interface ConditionInput {
  type: string
  status: ConditionStatus
  reason?: string
  message?: string
}

/**
 * Sets a condition on an object with a `status.conditions` list, keeping `lastTransitionTime` when the status did not
 * change (so a condition that merely changes its message does not look like a new transition).
 *
 * @example
 * setCondition(ms, { type: 'MachinesCreated', status: 'True' }, new Date())
 */
export function setCondition(obj: { status: { conditions?: Condition[] } }, input: ConditionInput, now: Date): void {
  const conditions = (obj.status.conditions ??= [])
  const next: Condition = { type: input.type, status: input.status, lastTransitionTime: kubeTimestamp(now) }
  if (input.reason !== undefined && input.reason !== '') next.reason = input.reason
  if (input.message !== undefined && input.message !== '') next.message = input.message
  const index = conditions.findIndex((c) => c.type === input.type)
  if (index === -1) {
    conditions.push(next)
    return
  }
  const previous = conditions[index] as Condition
  if (previous.status === next.status && previous.lastTransitionTime !== undefined) {
    next.lastTransitionTime = previous.lastTransitionTime
  }
  conditions[index] = next
}

/**
 * True when two conditions agree on type, status, reason and message (transition times are ignored).
 *
 * @example
 * sameState(a, b)
 */
export function sameState(a: Condition | undefined, b: Condition | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  return a.type === b.type && a.status === b.status && (a.reason ?? '') === (b.reason ?? '') && (a.message ?? '') === (b.message ?? '')
}

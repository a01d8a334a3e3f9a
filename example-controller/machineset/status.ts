/**
 * The MachineSet's status (upstream `updateStatus` and `reconcileV1Beta1Status`): the selector string, replica counters,
 * the ScalingUp / ScalingDown / MachinesReady conditions, the deprecated Resized / MachinesCreated conditions, and when
 * to look again while Machines are not ready yet.
 */
import type { Machine } from '../api/machine.ts'
import type { MachineSet } from '../api/machineset.ts'
import {
  INTERNAL_ERROR_MESSAGE,
  MachineConditions,
  MachineSetConditions,
  MachineSetReasons,
  getCondition,
  isTrue,
  setCondition,
} from './conditions.ts'
import { selectorString } from './selector.ts'
import type { MachineSetScope, ReconcileResult } from './scope.ts'

/** How often to look again while not every replica is ready (upstream: 15 s). */
export const REPLICA_REFRESH_REQUEUE_MS = 15_000

function desiredReplicas(machineSet: MachineSet): number {
  return machineSet.metadata.deletionTimestamp !== undefined ? 0 : (machineSet.spec.replicas ?? 0)
}

/**
 * Sets `status.replicas`, `readyReplicas`, `availableReplicas` and `upToDateReplicas` from the Machines' Ready,
 * Available and UpToDate conditions.
 *
 * @example
 * setReplicaCounters(ms, machines)
 */
export function setReplicaCounters(machineSet: MachineSet, machines: readonly Machine[]): void {
  machineSet.status.replicas = machines.length
  machineSet.status.readyReplicas = machines.filter((m) => isTrue(m, MachineConditions.Ready)).length
  machineSet.status.availableReplicas = machines.filter((m) => isTrue(m, MachineConditions.Available)).length
  machineSet.status.upToDateReplicas = machines.filter((m) => isTrue(m, MachineConditions.UpToDate)).length
}

/** `X does not exist` / `X and Y do not exist` for templates that are missing, or '' (upstream wording). */
export function missingReferencesMessage(scope: MachineSetScope): string {
  const missing: string[] = []
  const spec = scope.machineSet.spec.template.spec
  if (scope.bootstrapObjectNotFound && spec.bootstrap.configRef !== undefined) missing.push(spec.bootstrap.configRef.kind)
  if (scope.infrastructureObjectNotFound) missing.push(spec.infrastructureRef.kind)
  if (missing.length === 0) return ''
  return missing.length === 1 ? `${missing[0]} does not exist` : `${missing.join(' and ')} do not exist`
}

/**
 * Sets a scaling condition Unknown when the machines could not be listed or the desired count is unset; returns whether
 * it did (then there is nothing more to say about scaling).
 */
function setScalingUnknown(scope: MachineSetScope, type: string, now: Date): boolean {
  const ms = scope.machineSet
  if (!scope.getAndAdoptMachinesSucceeded) {
    setCondition(ms, { type, status: 'Unknown', reason: MachineSetReasons.InternalError, message: INTERNAL_ERROR_MESSAGE }, now)
    return true
  }
  if (ms.spec.replicas === undefined) {
    setCondition(ms, { type, status: 'Unknown', reason: MachineSetReasons.WaitingForReplicasSet, message: 'Waiting for spec.replicas set' }, now)
    return true
  }
  return false
}

function setScalingUp(scope: MachineSetScope, now: Date): void {
  const ms = scope.machineSet
  const type = MachineSetConditions.ScalingUp
  if (setScalingUnknown(scope, type, now)) return
  const desired = desiredReplicas(ms)
  const current = scope.machines.length
  const missing = missingReferencesMessage(scope)
  if (current >= desired) {
    const deleting = ms.metadata.deletionTimestamp !== undefined
    const message = !deleting && missing !== '' ? `Scaling up would be blocked because ${missing}` : undefined
    setCondition(ms, { type, status: 'False', reason: MachineSetReasons.NotScalingUp, message }, now)
    return
  }
  let message = `Scaling up from ${current} to ${desired} replicas`
  if (missing !== '') message += ` is blocked because:\n* ${missing}`
  setCondition(ms, { type, status: 'True', reason: MachineSetReasons.ScalingUp, message }, now)
}

function setScalingDown(scope: MachineSetScope, now: Date): void {
  const ms = scope.machineSet
  const type = MachineSetConditions.ScalingDown
  if (setScalingUnknown(scope, type, now)) return
  const desired = desiredReplicas(ms)
  const current = scope.machines.length
  if (current > desired) {
    const message = `Scaling down from ${current} to ${desired} replicas`
    setCondition(ms, { type, status: 'True', reason: MachineSetReasons.ScalingDown, message }, now)
    return
  }
  setCondition(ms, { type, status: 'False', reason: MachineSetReasons.NotScalingDown }, now)
}

/**
 * Aggregates the Machines' Ready conditions: any False → False `NotReady`, else any Unknown (or not yet reported) →
 * Unknown `ReadyUnknown`, else True `Ready`; no Machines → True `NoReplicas`. The message lists the Machines that are
 * not ready, grouped by message, so a problem can be traced to its Machine.
 */
function setMachinesReady(scope: MachineSetScope, now: Date): void {
  const ms = scope.machineSet
  const type = MachineSetConditions.MachinesReady
  if (!scope.getAndAdoptMachinesSucceeded) {
    setCondition(ms, { type, status: 'Unknown', reason: MachineSetReasons.InternalError, message: INTERNAL_ERROR_MESSAGE }, now)
    return
  }
  if (scope.machines.length === 0) {
    setCondition(ms, { type, status: 'True', reason: MachineSetReasons.NoReplicas }, now)
    return
  }
  const notReady = new Map<string, string[]>()
  const unknown = new Map<string, string[]>()
  for (const machine of [...scope.machines].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    const ready = getCondition(machine, MachineConditions.Ready)
    const name = machine.metadata.name ?? ''
    if (ready?.status === 'True') continue
    const bucket = ready?.status === 'False' ? notReady : unknown
    const message = ready === undefined ? 'Condition Ready not yet reported' : ready.message || ready.reason || ready.status
    bucket.set(message, [...(bucket.get(message) ?? []), name])
  }
  const lines = [...notReady, ...unknown].map(([message, names]) =>
    names.length === 1 ? `* Machine ${names[0]}: ${message}` : `* Machines ${names.join(', ')}: ${message}`,
  )
  if (notReady.size > 0) {
    setCondition(ms, { type, status: 'False', reason: MachineSetReasons.MachinesNotReady, message: lines.join('\n') }, now)
  } else if (unknown.size > 0) {
    setCondition(ms, { type, status: 'Unknown', reason: MachineSetReasons.MachinesReadyUnknown, message: lines.join('\n') }, now)
  } else {
    setCondition(ms, { type, status: 'True', reason: MachineSetReasons.MachinesReady }, now)
  }
}

/**
 * Computes the status from the scope: selector, counters (only when listing Machines worked — otherwise the old
 * counters stay, as a wrong zero would be worse), and the conditions.
 *
 * @example
 * updateStatus(scope, new Date())
 */
export function updateStatus(scope: MachineSetScope, now: Date): void {
  const ms = scope.machineSet
  ms.status.selector = selectorString(ms.spec.selector.matchLabels)
  if (scope.getAndAdoptMachinesSucceeded) setReplicaCounters(ms, scope.machines)
  setScalingUp(scope, now)
  setScalingDown(scope, now)
  setMachinesReady(scope, now)
}

/**
 * Sets the deprecated Resized and MachinesCreated conditions: Resized False while scaling either way, True once every
 * replica is ready; MachinesCreated True unless scaling up (where createMachines owns it). Throws when
 * `spec.replicas` is unset.
 *
 * @example
 * updateV1Beta1Conditions(scope, new Date())
 */
export function updateV1Beta1Conditions(scope: MachineSetScope, now: Date): void {
  if (!scope.getAndAdoptMachinesSucceeded) return
  const ms = scope.machineSet
  if (ms.spec.replicas === undefined) throw new Error('Cannot update status when MachineSet spec.replicas is not set')
  const desired = desiredReplicas(ms)
  const current = scope.machines.length
  const ready = scope.machines.filter((m) => isTrue(m, MachineConditions.Ready)).length
  if (current < desired) {
    setCondition(ms, {
      type: MachineSetConditions.Resized,
      status: 'False',
      reason: MachineSetReasons.ScalingUp,
      message: `Scaling up MachineSet to ${desired} replicas (actual ${current})`,
    }, now)
    return
  }
  if (current > desired) {
    setCondition(ms, {
      type: MachineSetConditions.Resized,
      status: 'False',
      reason: MachineSetReasons.ScalingDown,
      message: `Scaling down MachineSet to ${desired} replicas (actual ${current})`,
    }, now)
  } else if (ready === current) {
    // Resized means "provisioned", not "objects exist": it waits for readiness, as KCP does.
    setCondition(ms, { type: MachineSetConditions.Resized, status: 'True' }, now)
  }
  setCondition(ms, { type: MachineSetConditions.MachinesCreated, status: 'True' }, now)
}

/**
 * When to reconcile again so replica counters catch up: after minReadySeconds when every replica is ready but not yet
 * available, every 15 s while not every replica is ready, else never.
 *
 * @example
 * requeueForReplicaCounters(ms) // { requeueAfter: 15000 }
 */
export function requeueForReplicaCounters(machineSet: MachineSet): ReconcileResult {
  const replicas = machineSet.spec.replicas ?? 0
  const ready = machineSet.status.readyReplicas ?? 0
  const available = machineSet.status.availableReplicas ?? 0
  const minReadySeconds = machineSet.spec.template.spec.minReadySeconds ?? 0
  if (minReadySeconds > 0 && ready === replicas && available !== replicas) return { requeueAfter: minReadySeconds * 1000 }
  if (ready !== replicas) return { requeueAfter: REPLICA_REFRESH_REQUEUE_MS }
  return {}
}


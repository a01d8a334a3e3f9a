/**
 * Pausing (upstream `paused.EnsurePausedCondition`): a MachineSet is paused when its Cluster has `spec.paused` or the set
 * carries the `cluster.x-k8s.io/paused` annotation. The Paused condition always tells which, and a paused set is not
 * reconciled further.
 */
import type { Cluster } from '../api/cluster.ts'
import { PausedAnnotation } from '../api/labels.ts'
import type { MachineSet } from '../api/machineset.ts'
import type { Client } from '../client/types.ts'
import { MachineSetConditions, MachineSetReasons, getCondition, sameState, setCondition, type ConditionInput } from './conditions.ts'
import { patchMachineSetStatus } from './write-status.ts'

/**
 * Returns the Paused condition a MachineSet should have.
 *
 * @example
 * pausedCondition(cluster, ms) // { type: 'Paused', status: 'False', reason: 'NotPaused' }
 */
export function pausedCondition(cluster: Cluster, machineSet: MachineSet): ConditionInput {
  const type = MachineSetConditions.Paused
  const reasons: string[] = []
  if (cluster.spec.paused === true) reasons.push(`Cluster spec.paused is set to true`)
  if (machineSet.metadata.annotations?.[PausedAnnotation] !== undefined) reasons.push(`MachineSet has the ${PausedAnnotation} annotation`)
  if (reasons.length === 0) return { type, status: 'False', reason: MachineSetReasons.NotPaused }
  return { type, status: 'True', reason: MachineSetReasons.Paused, message: reasons.join(', ') }
}

/**
 * Sets the Paused condition (writing the status only when the condition changed) and resolves to whether the set is
 * paused. `machineSet` is updated in place with what the API server returns.
 *
 * @example
 * if (await ensurePausedCondition(client, cluster, ms, new Date())) return {}
 */
export async function ensurePausedCondition(client: Client, cluster: Cluster, machineSet: MachineSet, now: Date): Promise<boolean> {
  const desired = pausedCondition(cluster, machineSet)
  const paused = desired.status === 'True'
  if (sameState(getCondition(machineSet, desired.type), { ...desired })) return paused
  const base = structuredClone(machineSet)
  setCondition(machineSet, desired, now)
  await patchMachineSetStatus(client, machineSet, base)
  return paused
}

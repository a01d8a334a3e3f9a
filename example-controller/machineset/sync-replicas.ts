/**
 * Bringing the number of Machines to `spec.replicas` (upstream `syncReplicas`): clean up leaked objects, then create
 * the missing Machines or delete the surplus in deletion order.
 */
import { DisableMachineCreateAnnotation } from '../api/labels.ts'
import type { Machine } from '../api/machine.ts'
import { createMachines } from './create-machines.ts'
import { getDeletePriorityFunc, machinesToDeletePrioritized } from './deletion-order.ts'
import { aggregate, toError } from './errors.ts'
import { cleanupOrphanedObjects } from './orphans.ts'
import type { MachineSetPhase, MachineSetScope, ReconcileResult, ReconcilerDeps } from './scope.ts'

/**
 * Deletes the `diff` Machines that come first in the set's deletion order; Machines already deleting count as deleted.
 * Failures do not stop the others and are thrown together at the end. Returns the Machines chosen.
 *
 * @example
 * await deleteMachines(deps, scope, 2)
 */
export async function deleteMachines(deps: ReconcilerDeps, scope: MachineSetScope, diff: number): Promise<Machine[]> {
  const { machineSet } = scope
  const priority = getDeletePriorityFunc(machineSet.spec.deletion?.order)
  const toDelete = machinesToDeletePrioritized(scope.machines, diff, priority, deps.clock())
  const errors: Error[] = []
  for (const machine of toDelete) {
    if (machine.metadata.deletionTimestamp !== undefined) continue
    const name = machine.metadata.name ?? ''
    try {
      await deps.client.delete(machine)
    } catch (err) {
      deps.recorder.event(machineSet, 'Warning', 'FailedDelete', `Failed to delete machine "${name}": ${toError(err).message}`)
      errors.push(toError(err))
      continue
    }
    deps.recorder.event(machineSet, 'Normal', 'SuccessfulDelete', `Deleted machine "${name}"`)
  }
  const failure = aggregate(errors)
  if (failure !== undefined) throw failure
  return toDelete
}

/**
 * The reconcile phase. It does nothing when listing Machines failed (`scope.machines` would be empty, and scaling
 * from a wrong count creates or deletes the wrong Machines — see the note in reconciler.ts).
 *
 * @example
 * await syncReplicas(deps, scope)
 */
export const syncReplicas: MachineSetPhase = async (deps: ReconcilerDeps, scope: MachineSetScope): Promise<ReconcileResult> => {
  if (!scope.getAndAdoptMachinesSucceeded) return {}
  const { machineSet } = scope
  const replicas = machineSet.spec.replicas
  if (replicas === undefined || replicas === null) {
    throw new Error(`the Replicas field in Spec for MachineSet ${machineSet.metadata.name ?? ''} is nil, this should not be allowed`)
  }

  await cleanupOrphanedObjects(deps, scope)

  const diff = scope.machines.length - replicas
  if (diff < 0) {
    // Upstream checks that the annotation is present, whatever its value; so does this port.
    if (machineSet.metadata.annotations?.[DisableMachineCreateAnnotation] !== undefined) return {}
    await createMachines(deps, machineSet, -diff)
  } else if (diff > 0) {
    await deleteMachines(deps, scope, diff)
  }
  return {}
}

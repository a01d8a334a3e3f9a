/**
 * Deleting a MachineSet (upstream `reconcileDelete`): delete every Machine of the set, wait for them to be gone (the
 * Machine watch brings the set back), and only then drop the finalizer so the set itself can go.
 */
import { isNotFound } from '../client/errors.ts'
import { MachineSetFinalizer } from '../api/labels.ts'
import { wrapError } from './errors.ts'
import type { MachineSetPhase, MachineSetScope, ReconcileResult, ReconcilerDeps } from './scope.ts'
import { objectKeyString } from './scope.ts'

/**
 * The reconcile phase for a MachineSet with a deletionTimestamp. Like syncReplicas it does nothing when listing Machines
 * failed: with an empty list it would remove the finalizer while Machines still exist.
 *
 * @example
 * await reconcileDelete(deps, scope)
 */
export const reconcileDelete: MachineSetPhase = async (deps: ReconcilerDeps, scope: MachineSetScope): Promise<ReconcileResult> => {
  if (!scope.getAndAdoptMachinesSucceeded) return {}
  const { machineSet, machines } = scope
  if (machines.length === 0) {
    // Only the in-memory object changes; the final patch removes the finalizer.
    machineSet.metadata.finalizers = (machineSet.metadata.finalizers ?? []).filter((f) => f !== MachineSetFinalizer)
    return {}
  }
  for (const machine of machines) {
    if (machine.metadata.deletionTimestamp !== undefined) continue
    try {
      await deps.client.delete(machine)
    } catch (err) {
      if (!isNotFound(err)) throw wrapError(err, `failed to delete Machine ${objectKeyString(machine)}`)
    }
  }
  return {}
}

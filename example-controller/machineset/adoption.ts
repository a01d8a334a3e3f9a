/**
 * Finding the Machines of a MachineSet (upstream `getAndAdoptMachinesForMachineSet`): list by the set's selector,
 * skip Machines another controller owns, and claim orphans by adding a controller ownerRef.
 */
import type { Machine } from '../api/machine.ts'
import { MachineList } from '../api/machine.ts'
import type { MachineSet } from '../api/machineset.ts'
import { mergeFrom } from '../client/patch.ts'
import type { Client } from '../client/types.ts'
import { wrapError } from './errors.ts'
import type { EventRecorder } from './events.ts'
import { ensureOwnerRef, getControllerOf, isControlledBy, newControllerRef } from './owner-refs.ts'
import type { MachineSetPhase, MachineSetScope, ReconcileResult, ReconcilerDeps } from './scope.ts'

/**
 * True when a Machine is controlled by something other than this MachineSet, so the set must leave it alone.
 *
 * @example
 * shouldExcludeMachine(ms, machineOwnedByAnotherSet) // true
 */
export function shouldExcludeMachine(machineSet: MachineSet, machine: Machine): boolean {
  return getControllerOf(machine) !== undefined && !isControlledBy(machine, machineSet)
}

/**
 * Makes the MachineSet the controller of an orphaned Machine, with a merge patch (updates `machine` in place).
 *
 * @example
 * await adoptOrphan(client, ms, machine)
 */
export async function adoptOrphan(client: Client, machineSet: MachineSet, machine: Machine): Promise<void> {
  const patch = mergeFrom(structuredClone(machine))
  machine.metadata.ownerReferences = ensureOwnerRef(machine.metadata.ownerReferences, newControllerRef(machineSet))
  await client.patch(machine, patch)
}

/**
 * Lists the Machines matching the set's selector in its namespace, drops those controlled by others, adopts orphans
 * (a failed adoption skips that Machine, with a FailedAdopt event) and returns the rest. Machines being deleted are
 * kept on purpose: they still count until they are gone (upstream #3434).
 *
 * @example
 * const machines = await getAndAdoptMachines(client, ms, recorder)
 */
export async function getAndAdoptMachines(client: Client, machineSet: MachineSet, recorder: EventRecorder): Promise<Machine[]> {
  const list = new MachineList()
  try {
    await client.list(list, { namespace: machineSet.metadata.namespace, matchLabels: { ...(machineSet.spec.selector.matchLabels ?? {}) } })
  } catch (err) {
    throw wrapError(err, 'failed to list machines')
  }
  const machines: Machine[] = []
  for (const machine of list.items) {
    if (shouldExcludeMachine(machineSet, machine)) continue
    if (getControllerOf(machine) === undefined) {
      try {
        await adoptOrphan(client, machineSet, machine)
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err)
        recorder.event(machineSet, 'Warning', 'FailedAdopt', `Failed to adopt Machine "${machine.metadata.name ?? ''}": ${message}`)
        continue
      }
      recorder.event(machineSet, 'Normal', 'SuccessfulAdopt', `Adopted Machine "${machine.metadata.name ?? ''}"`)
    }
    machines.push(machine)
  }
  return machines
}

/**
 * The reconcile phase: fills `scope.machines` and, only when listing worked, sets `getAndAdoptMachinesSucceeded`.
 *
 * @example
 * await getAndAdoptMachinesPhase(deps, scope)
 */
export const getAndAdoptMachinesPhase: MachineSetPhase = async (
  deps: ReconcilerDeps,
  scope: MachineSetScope,
): Promise<ReconcileResult> => {
  scope.machines = await getAndAdoptMachines(deps.client, scope.machineSet, deps.recorder)
  scope.getAndAdoptMachinesSucceeded = true
  return {}
}

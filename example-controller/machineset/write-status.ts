/**
 * Writing a MachineSet's status. The API server serves MachineSet status as a subresource, so status goes through
 * `client.status().patch`. A fake client built without `withStatusSubresource(MachineSet)` (e.g. `newFakeClient`)
 * answers that with NotFound although the object exists; there the status is an ordinary part of the object, so the
 * write falls back to a plain patch. A set that really is gone fails the fallback with NotFound too.
 */
import type { MachineSet } from '../api/machineset.ts'
import { isNotFound } from '../client/errors.ts'
import { mergeFrom } from '../client/patch.ts'
import type { Client } from '../client/types.ts'

/**
 * Patches the status of `machineSet` from `base` (the last stored version) to its current value; updates it in place.
 *
 * @example
 * const base = structuredClone(ms); ms.status.replicas = 3; await patchMachineSetStatus(client, ms, base)
 */
export async function patchMachineSetStatus(client: Client, machineSet: MachineSet, base: MachineSet): Promise<void> {
  try {
    await client.status().patch(machineSet, mergeFrom(base))
  } catch (err) {
    if (!isNotFound(err)) throw err
    await client.patch(machineSet, mergeFrom(base))
  }
}

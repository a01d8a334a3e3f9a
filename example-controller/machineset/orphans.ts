/**
 * Cleaning up leaked InfraMachines and BootstrapConfigs (upstream #13812, run at the start of syncReplicas). When a
 * Machine cannot be created, createMachines deletes the two objects it cloned for it; if those deletes fail too, the
 * objects leak. They are recognisable: labelled with the set's name, still owned by the set, and referenced by none of
 * its Machines. This relies on the over-creation guard — with a stale read, a just-created Machine could be missing
 * from `scope.machines` and its objects would look orphaned.
 */
import { MachineSetNameLabel } from '../api/labels.ts'
import type { Machine } from '../api/machine.ts'
import type { ObjectReference, Unstructured } from '../api/meta.ts'
import { UnstructuredList } from '../api/meta.ts'
import { machineLabelsFromMachineSet } from './desired-machine.ts'
import { aggregate, wrapError } from './errors.ts'
import { TEMPLATE_SUFFIX, deleteExternal } from './external.ts'
import type { MachineSetScope, ReconcilerDeps } from './scope.ts'

function clonedKind(templateRef: ObjectReference): ObjectReference {
  const kind = templateRef.kind.endsWith(TEMPLATE_SUFFIX) ? templateRef.kind.slice(0, -TEMPLATE_SUFFIX.length) : templateRef.kind
  return { apiVersion: templateRef.apiVersion, kind, name: '' }
}

function referencedNames(machines: readonly Machine[], kind: string): Set<string> {
  const names = new Set<string>()
  for (const machine of machines) {
    if (machine.spec.infrastructureRef.kind === kind) names.add(machine.spec.infrastructureRef.name)
    const configRef = machine.spec.bootstrap.configRef
    if (configRef?.kind === kind) names.add(configRef.name)
  }
  return names
}

/**
 * Deletes the set's InfraMachines and BootstrapConfigs that no Machine of `scope.machines` references and returns
 * their names (`Kind/name`).
 *
 * @example
 * const deleted = await cleanupOrphanedObjects(deps, scope)
 */
export async function cleanupOrphanedObjects(deps: ReconcilerDeps, scope: MachineSetScope): Promise<string[]> {
  const { machineSet } = scope
  const namespace = machineSet.metadata.namespace ?? ''
  const kinds = [clonedKind(machineSet.spec.template.spec.infrastructureRef)]
  const bootstrapTemplate = machineSet.spec.template.spec.bootstrap.configRef
  if (bootstrapTemplate !== undefined) kinds.push(clonedKind(bootstrapTemplate))
  const setName = machineLabelsFromMachineSet(machineSet)[MachineSetNameLabel] as string

  const deleted: string[] = []
  const errors: Error[] = []
  for (const { apiVersion, kind } of kinds) {
    if (apiVersion === '' || kind === '') continue
    const list = new UnstructuredList({ apiVersion, kind: `${kind}List` })
    try {
      await deps.client.list(list, { namespace, matchLabels: { [MachineSetNameLabel]: setName } })
    } catch (err) {
      errors.push(wrapError(err, `failed to list ${kind} objects to clean up`))
      continue
    }
    const referenced = referencedNames(scope.machines, kind)
    for (const obj of list.items) {
      if (!ownedBySet(obj, machineSet.metadata.name ?? '', machineSet.metadata.uid ?? '')) continue
      const name = obj.metadata.name ?? ''
      if (referenced.has(name)) continue
      try {
        await deleteExternal(deps.client, { apiVersion, kind, name }, namespace)
        deleted.push(`${kind}/${name}`)
      } catch (err) {
        errors.push(wrapError(err, `failed to delete orphaned ${kind} ${namespace}/${name}`))
      }
    }
  }
  const failure = aggregate(errors)
  if (failure !== undefined) throw failure
  return deleted
}

/** Only objects the set still owns are candidates; once the Machine controller took one over it is not ours. */
function ownedBySet(obj: Unstructured, name: string, uid: string): boolean {
  return (obj.metadata.ownerReferences ?? []).some((ref) => ref.kind === 'MachineSet' && ref.name === name && ref.uid === uid)
}

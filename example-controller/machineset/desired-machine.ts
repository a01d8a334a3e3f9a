/**
 * The Machine a MachineSet wants (upstream `computeDesiredMachine`): used to create new Machines and, for existing
 * ones, to know which in-place mutable fields (labels, annotations) should be propagated.
 */
import { Machine, type MachineSpec } from '../api/machine.ts'
import type { MachineSet } from '../api/machineset.ts'
import { MachineDeploymentNameLabel, MachineFinalizer, MachineSetNameLabel } from '../api/labels.ts'
import { newControllerRef } from './owner-refs.ts'
import type { Random } from '../client/random.ts'
import { machineNameSuffix } from './sources.ts'

/** Longest Kubernetes object name the generator produces (a DNS label). */
export const MAX_GENERATED_NAME_LENGTH = 63

/**
 * Returns a new Machine name `<set>-<5 random chars>`, trimming the set name so the result stays within 63 characters.
 *
 * @example
 * machineName('ms', seededRandom(1)) // e.g. 'ms-x7kqb'
 */
export function machineName(machineSetName: string, random: Random): string {
  const suffix = machineNameSuffix(random)
  const maxBase = MAX_GENERATED_NAME_LENGTH - suffix.length - 1
  return `${machineSetName.slice(0, maxBase)}-${suffix}`
}

/**
 * Formats a value so it is a valid label value; names of 63 characters or fewer pass through unchanged (upstream
 * hashes longer ones; MachineSet names in this example never exceed that).
 */
function labelValue(value: string): string {
  return value.length <= MAX_GENERATED_NAME_LENGTH ? value : `hash_${fnv32a(value)}_z`
}

function fnv32a(value: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash.toString(36)
}

/**
 * Returns the labels Machines of this set carry: the template labels, the set-name label, and the deployment-name
 * label when the set has one. A fresh map, so later additions never leak into the set's template.
 *
 * @example
 * machineLabelsFromMachineSet(ms)['cluster.x-k8s.io/set-name'] // ms.metadata.name
 */
export function machineLabelsFromMachineSet(machineSet: MachineSet): Record<string, string> {
  const labels: Record<string, string> = { ...(machineSet.spec.template.metadata?.labels ?? {}) }
  labels[MachineSetNameLabel] = labelValue(machineSet.metadata.name ?? '')
  const deployment = machineSet.metadata.labels?.[MachineDeploymentNameLabel]
  if (deployment !== undefined) labels[MachineDeploymentNameLabel] = deployment
  return labels
}

/**
 * Returns the annotations Machines of this set carry: a copy of the template annotations.
 *
 * @example
 * machineAnnotationsFromMachineSet(ms)
 */
export function machineAnnotationsFromMachineSet(machineSet: MachineSet): Record<string, string> {
  return { ...(machineSet.spec.template.metadata?.annotations ?? {}) }
}

/**
 * Computes the desired Machine for a MachineSet. For a new Machine (`existing` undefined) it draws a fresh name and
 * leaves the infrastructure and bootstrap references empty, because those must point at objects cloned from the
 * templates, not at the templates themselves; for an existing Machine it keeps name, UID, finalizers and references.
 *
 * @example
 * const machine = computeDesiredMachine(ms, undefined, seededRandom(1))
 */
export function computeDesiredMachine(machineSet: MachineSet, existing: Machine | undefined, random: Random): Machine {
  const spec: MachineSpec = structuredClone(machineSet.spec.template.spec)
  spec.clusterName = machineSet.spec.clusterName
  spec.infrastructureRef = { apiVersion: '', kind: '', name: '' }
  delete spec.bootstrap.configRef

  const machine = new Machine({
    metadata: {
      // An existing Machine keeps its name; only new Machines draw from the random source.
      name: existing?.metadata.name ?? machineName(machineSet.metadata.name ?? '', random),
      namespace: machineSet.metadata.namespace,
      // The controller ownerRef tells the Machine controller this is not a standalone Machine.
      ownerReferences: [newControllerRef(machineSet)],
      labels: machineLabelsFromMachineSet(machineSet),
      annotations: machineAnnotationsFromMachineSet(machineSet),
      finalizers: [MachineFinalizer],
    },
    spec,
  })

  if (existing !== undefined) {
    if (existing.metadata.uid !== undefined) machine.metadata.uid = existing.metadata.uid
    // Keep every existing finalizer (e.g. foregroundDeletion) and make sure ours is there.
    const finalizers = [...(existing.metadata.finalizers ?? [])]
    if (!finalizers.includes(MachineFinalizer)) finalizers.push(MachineFinalizer)
    machine.metadata.finalizers = finalizers
    if (existing.spec.bootstrap.configRef !== undefined) spec.bootstrap.configRef = { ...existing.spec.bootstrap.configRef }
    spec.infrastructureRef = { ...existing.spec.infrastructureRef }
  }
  return machine
}

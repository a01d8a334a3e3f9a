/**
 * Owner-reference helpers (upstream `util.EnsureOwnerRef`, `metav1.GetControllerOf`, `metav1.IsControlledBy`,
 * `util.HasOwner`). Owner references are how the MachineSet claims Machines and how a standalone set is tied to
 * its Cluster.
 */
import { parseGroupVersion } from '../api/groupversion.ts'
import type { KubeObject, OwnerReference } from '../api/meta.ts'

/**
 * Returns a controller owner reference to `owner` (controller and blockOwnerDeletion set, like `metav1.NewControllerRef`).
 *
 * @example
 * newControllerRef(machineSet) // { apiVersion, kind: 'MachineSet', name, uid, controller: true, blockOwnerDeletion: true }
 */
export function newControllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  }
}

/**
 * Returns a plain (non-controller) owner reference to `owner`.
 *
 * @example
 * ownerRefTo(cluster) // { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', name, uid }
 */
export function ownerRefTo(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '' }
}

/**
 * Returns the controller reference of an object, if any.
 *
 * @example
 * getControllerOf(machine)?.kind // 'MachineSet'
 */
export function getControllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((ref) => ref.controller === true)
}

/**
 * True when `owner` is the controller of `obj`. Like upstream, the UID decides; name and kind must match too, which
 * only matters for objects without UIDs (a UID is unique, so upstream never needs them).
 *
 * @example
 * isControlledBy(machine, machineSet)
 */
export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  const ref = getControllerOf(obj)
  if (ref === undefined) return false
  return ref.uid === (owner.metadata.uid ?? '') && ref.kind === owner.kind && ref.name === (owner.metadata.name ?? '')
}

function groupOf(apiVersion: string): string {
  try {
    return parseGroupVersion(apiVersion).group
  } catch {
    return apiVersion
  }
}

/** True when two references point at the same object: same API group, kind and name (versions may differ). */
function referSameObject(a: OwnerReference, b: OwnerReference): boolean {
  return groupOf(a.apiVersion) === groupOf(b.apiVersion) && a.kind === b.kind && a.name === b.name
}

/**
 * Returns `refs` with `ref` added, or replacing the reference to the same object (same group, kind and name).
 *
 * @example
 * machine.metadata.ownerReferences = ensureOwnerRef(machine.metadata.ownerReferences, newControllerRef(ms))
 */
export function ensureOwnerRef(refs: readonly OwnerReference[] | undefined, ref: OwnerReference): OwnerReference[] {
  const out = [...(refs ?? [])]
  const index = out.findIndex((existing) => referSameObject(existing, ref))
  if (index === -1) out.push({ ...ref })
  else out[index] = { ...ref }
  return out
}

/**
 * True when `refs` contains a reference equal to `ref` in group, kind, name and UID.
 *
 * @example
 * hasExactOwnerRef(template.metadata.ownerReferences, ownerRefTo(cluster))
 */
export function hasExactOwnerRef(refs: readonly OwnerReference[] | undefined, ref: OwnerReference): boolean {
  return (refs ?? []).some((existing) => referSameObject(existing, ref) && existing.uid === ref.uid)
}

/**
 * True when any reference has one of `kinds` in the API group of `apiVersion`.
 *
 * @example
 * hasOwner(ms.metadata.ownerReferences, 'cluster.x-k8s.io/v1beta2', ['MachineDeployment', 'Cluster'])
 */
export function hasOwner(refs: readonly OwnerReference[] | undefined, apiVersion: string, kinds: readonly string[]): boolean {
  const group = groupOf(apiVersion)
  return (refs ?? []).some((ref) => kinds.includes(ref.kind) && groupOf(ref.apiVersion) === group)
}

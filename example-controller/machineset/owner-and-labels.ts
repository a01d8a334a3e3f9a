/**
 * Keeping a MachineSet tied to its Cluster (upstream `reconcileMachineSetOwnerAndLabels`): the cluster-name label on the
 * set, its selector and its Machine template, and — for a standalone set — a non-controller ownerRef to the Cluster.
 */
import { ClusterApiVersion } from '../api/groupversion.ts'
import { ClusterNameLabel, MachineDeploymentNameLabel } from '../api/labels.ts'
import type { MachineSet } from '../api/machineset.ts'
import { ensureOwnerRef, hasOwner, ownerRefTo } from './owner-refs.ts'
import type { MachineSetPhase, MachineSetScope, ReconcileResult } from './scope.ts'

/**
 * True when the MachineSet was made by a MachineDeployment (it carries the deployment-name label).
 *
 * @example
 * isDeploymentChild(ms)
 */
export function isDeploymentChild(machineSet: MachineSet): boolean {
  return machineSet.metadata.labels?.[MachineDeploymentNameLabel] !== undefined
}

/**
 * True when a standalone MachineSet should be owned by its Cluster: it has no MachineDeployment or Cluster owner yet
 * and no deployment-name label. The label check matters after a restore from backup, when the MachineDeployment
 * controller and this one would otherwise race to adopt the set (upstream #7529).
 *
 * @example
 * shouldAdopt(ms)
 */
export function shouldAdopt(machineSet: MachineSet): boolean {
  if (hasOwner(machineSet.metadata.ownerReferences, ClusterApiVersion, ['MachineDeployment', 'Cluster'])) return false
  return !isDeploymentChild(machineSet)
}

/**
 * The reconcile phase: sets the cluster-name label on the set, selector and template, and the Cluster ownerRef on a
 * standalone set. Only the in-memory object changes; the final patch writes it.
 *
 * @example
 * await reconcileOwnerAndLabels(deps, scope)
 */
export const reconcileOwnerAndLabels: MachineSetPhase = async (_deps, scope: MachineSetScope): Promise<ReconcileResult> => {
  const { machineSet, cluster } = scope
  const clusterName = machineSet.spec.clusterName
  machineSet.metadata.labels = { ...(machineSet.metadata.labels ?? {}), [ClusterNameLabel]: clusterName }
  if (shouldAdopt(machineSet)) {
    machineSet.metadata.ownerReferences = ensureOwnerRef(machineSet.metadata.ownerReferences, ownerRefTo(cluster))
  }
  // Selector and template must agree on the cluster, or the set would count Machines of another cluster.
  machineSet.spec.selector.matchLabels = { ...(machineSet.spec.selector.matchLabels ?? {}), [ClusterNameLabel]: clusterName }
  const template = machineSet.spec.template
  template.metadata = { ...(template.metadata ?? {}) }
  template.metadata.labels = { ...(template.metadata.labels ?? {}), [ClusterNameLabel]: clusterName }
  return {}
}

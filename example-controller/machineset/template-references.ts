/**
 * The templates a MachineSet references (upstream `reconcileInfrastructure` / `reconcileBootstrapConfig` /
 * `reconcileExternalTemplateReference`): each template gets a non-controller ownerRef to the Cluster, so templates are
 * cleaned up with their Cluster, and a missing template is recorded for the ScalingUp condition.
 */
import type { Cluster } from '../api/cluster.ts'
import type { MachineSet } from '../api/machineset.ts'
import type { ObjectReference } from '../api/meta.ts'
import { isNotFound } from '../client/errors.ts'
import { mergeFrom } from '../client/patch.ts'
import type { Client } from '../client/types.ts'
import { TEMPLATE_SUFFIX, getExternal } from './external.ts'
import { ensureOwnerRef, hasExactOwnerRef, ownerRefTo } from './owner-refs.ts'
import type { MachineSetPhase, MachineSetScope, ReconcileResult } from './scope.ts'

/**
 * Ensures a referenced template is owned by the Cluster and resolves to whether it was missing. References to
 * non-template kinds are left alone. A missing template is tolerated while the MachineSet is being deleted (there is
 * nothing left to create from it) and is an error otherwise: this example has no MachineDeployments, so the upstream
 * exception for sets of an older MachineDeployment revision never applies.
 *
 * @example
 * const notFound = await reconcileTemplateReference(client, cluster, ms, ms.spec.template.spec.infrastructureRef)
 */
export async function reconcileTemplateReference(
  client: Client,
  cluster: Cluster,
  machineSet: MachineSet,
  ref: ObjectReference,
): Promise<boolean> {
  if (!ref.kind.endsWith(TEMPLATE_SUFFIX)) return false
  let template
  try {
    template = await getExternal(client, ref, machineSet.metadata.namespace ?? '')
  } catch (err) {
    if (isNotFound(err) && machineSet.metadata.deletionTimestamp !== undefined) return true
    throw err
  }
  const desired = ownerRefTo(cluster)
  if (hasExactOwnerRef(template.metadata.ownerReferences, desired)) return false
  const patch = mergeFrom(structuredClone(template))
  template.metadata.ownerReferences = ensureOwnerRef(template.metadata.ownerReferences, desired)
  await client.patch(template, patch)
  return false
}

/** Awaits a reference check; on NotFound it records the missing template before passing the error on. */
async function notFoundFlag(check: Promise<boolean>, markMissing: () => void): Promise<boolean> {
  try {
    return await check
  } catch (err) {
    if (isNotFound(err)) markMissing()
    throw err
  }
}

/**
 * The reconcile phase for the infrastructure machine template.
 *
 * @example
 * await reconcileInfrastructureReference(deps, scope)
 */
export const reconcileInfrastructureReference: MachineSetPhase = async (deps, scope: MachineSetScope): Promise<ReconcileResult> => {
  scope.infrastructureObjectNotFound = await notFoundFlag(
    reconcileTemplateReference(deps.client, scope.cluster, scope.machineSet, scope.machineSet.spec.template.spec.infrastructureRef),
    () => (scope.infrastructureObjectNotFound = true),
  )
  return {}
}

/**
 * The reconcile phase for the bootstrap config template (when the set has one).
 *
 * @example
 * await reconcileBootstrapReference(deps, scope)
 */
export const reconcileBootstrapReference: MachineSetPhase = async (deps, scope: MachineSetScope): Promise<ReconcileResult> => {
  const ref = scope.machineSet.spec.template.spec.bootstrap.configRef
  if (ref !== undefined) {
    scope.bootstrapObjectNotFound = await notFoundFlag(
      reconcileTemplateReference(deps.client, scope.cluster, scope.machineSet, ref),
      () => (scope.bootstrapObjectNotFound = true),
    )
  }
  return {}
}

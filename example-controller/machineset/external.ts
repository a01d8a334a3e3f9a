/**
 * External (provider) objects: reading the templates a MachineSet references, cloning InfraMachines and
 * BootstrapConfigs from them (upstream `external.CreateFromTemplate`), and deleting them by reference. Provider kinds
 * are handled as unstructured objects, as upstream does, so any provider works without being compiled in.
 */
import { parseGroupVersion } from '../api/groupversion.ts'
import {
  ClusterNameLabel,
  TemplateClonedFromGroupKindAnnotation,
  TemplateClonedFromNameAnnotation,
} from '../api/labels.ts'
import type { ObjectReference, OwnerReference, Unstructured } from '../api/meta.ts'
import { isNotFound } from '../client/errors.ts'
import type { Client } from '../client/types.ts'

/** The suffix that distinguishes a template kind from the kind of the objects cloned from it. */
export const TEMPLATE_SUFFIX = 'Template'

/** What `createFromTemplate` needs: the template, the new object's identity, and the metadata to stamp on it. */
export interface CreateFromTemplateInput {
  templateRef: ObjectReference
  namespace: string
  name: string
  clusterName: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  ownerRef?: OwnerReference
}

/**
 * Returns an empty unstructured object naming a reference's kind, to read into or delete by.
 *
 * @example
 * referenceToUnstructured({ apiVersion: 'v1', kind: 'Secret', name: 's' }, 'default')
 */
export function referenceToUnstructured(ref: ObjectReference, namespace?: string): Unstructured {
  const metadata: Unstructured['metadata'] = { name: ref.name }
  const ns = ref.namespace ?? namespace
  if (ns !== undefined && ns !== '') metadata.namespace = ns
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata }
}

/**
 * Reads the object a reference points at, as unstructured, from the reference's namespace (else `namespace`).
 *
 * @example
 * const template = await getExternal(client, ms.spec.template.spec.infrastructureRef, 'default')
 */
export async function getExternal(client: Client, ref: ObjectReference, namespace: string): Promise<Unstructured> {
  const obj = referenceToUnstructured(ref, namespace)
  return client.get({ namespace: obj.metadata.namespace, name: ref.name }, obj)
}

/** `Kind.group` of a reference, the format of the cloned-from-groupkind annotation (`Kind` for the core group). */
export function groupKindString(ref: ObjectReference): string {
  const { group } = parseGroupVersion(ref.apiVersion)
  return group === '' ? ref.kind : `${ref.kind}.${group}`
}

/**
 * Builds (without creating) the object a template describes: `spec.template` with the given name, namespace and
 * owner, the template's labels and annotations overridden by the given ones, the cluster-name label, the cloned-from
 * annotations, and the template's kind without its `Template` suffix.
 *
 * @example
 * const infraMachine = generateFromTemplate(template, { templateRef, namespace: 'default', name: 'ms-abcde', clusterName: 'c' })
 */
export function generateFromTemplate(template: Unstructured, input: CreateFromTemplateInput): Unstructured {
  const spec = template.spec as { template?: Record<string, unknown> } | undefined
  if (spec?.template === undefined || spec.template === null) {
    throw new Error(`missing Spec.Template on ${template.kind} ${template.metadata.namespace ?? ''}/${template.metadata.name ?? ''}`)
  }
  const body = structuredClone(spec.template) as Record<string, unknown> & { metadata?: Record<string, unknown> }
  const templateMeta = (body.metadata ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> }
  delete body.metadata

  const annotations: Record<string, string> = { ...(templateMeta.annotations ?? {}), ...(input.annotations ?? {}) }
  annotations[TemplateClonedFromNameAnnotation] = input.templateRef.name
  annotations[TemplateClonedFromGroupKindAnnotation] = groupKindString(input.templateRef)
  const labels: Record<string, string> = { ...(templateMeta.labels ?? {}), ...(input.labels ?? {}) }
  labels[ClusterNameLabel] = input.clusterName

  const apiVersion = typeof body.apiVersion === 'string' && body.apiVersion !== '' ? body.apiVersion : input.templateRef.apiVersion
  const kind =
    typeof body.kind === 'string' && body.kind !== ''
      ? body.kind
      : input.templateRef.kind.endsWith(TEMPLATE_SUFFIX)
        ? input.templateRef.kind.slice(0, -TEMPLATE_SUFFIX.length)
        : input.templateRef.kind
  const metadata: Unstructured['metadata'] = { name: input.name, namespace: input.namespace, labels, annotations }
  if (input.ownerRef !== undefined) metadata.ownerReferences = [{ ...input.ownerRef }]
  return { ...body, apiVersion, kind, metadata }
}

/**
 * Reads a template, creates the object it describes, and returns a reference to the new object.
 *
 * @example
 * const infraRef = await createFromTemplate(client, { templateRef, namespace, name, clusterName, ownerRef })
 */
export async function createFromTemplate(client: Client, input: CreateFromTemplateInput): Promise<ObjectReference> {
  const template = await getExternal(client, input.templateRef, input.namespace)
  const obj = generateFromTemplate(template, input)
  const created = await client.create(obj)
  return { apiVersion: created.apiVersion, kind: created.kind, name: created.metadata.name ?? input.name, namespace: input.namespace }
}

/**
 * Deletes the object a reference points at; a missing object counts as deleted.
 *
 * @example
 * await deleteExternal(client, bootstrapRef)
 */
export async function deleteExternal(client: Client, ref: ObjectReference, namespace?: string): Promise<void> {
  try {
    await client.delete(referenceToUnstructured(ref, namespace))
  } catch (err) {
    if (!isNotFound(err)) throw err
  }
}

/** `namespace/name` of a reference, for messages (upstream `klog.KRef`). */
export function refString(ref: ObjectReference, namespace?: string): string {
  const ns = ref.namespace ?? namespace ?? ''
  return ns === '' ? ref.name : `${ns}/${ref.name}`
}

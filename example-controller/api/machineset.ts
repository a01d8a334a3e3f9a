/** The MachineSet kind (`cluster.x-k8s.io/v1beta2`). */
import { ClusterApiVersion } from './groupversion.ts'
import { emptyMachineSpec, type MachineSpec } from './machine.ts'
import type { Condition, LabelSelector, TemplateMeta } from './meta.ts'
import { TypedList, TypedObject, type ObjectInit } from './object.ts'

/** Which machines a MachineSet deletes first when it scales down. */
export type MachineSetDeletionOrder = 'Random' | 'Newest' | 'Oldest'

/** The deletion orders Cluster API accepts, in the order its validation lists them. */
export const MachineSetDeletionOrders: readonly MachineSetDeletionOrder[] = Object.freeze(['Random', 'Newest', 'Oldest'])

/** The template of the Machines a MachineSet creates. */
export interface MachineTemplateSpec {
  metadata?: TemplateMeta
  spec: MachineSpec
}

/** The desired state of a MachineSet. */
export interface MachineSetSpec {
  clusterName: string
  /** Desired number of machines; unset is an error for the reconciler (defaulting normally sets it). */
  replicas?: number
  selector: LabelSelector
  template: MachineTemplateSpec
  /** v1beta2 `spec.deletion.order`; empty means Random. */
  deletion?: { order?: MachineSetDeletionOrder }
}

/** The observed state of a MachineSet. */
export interface MachineSetStatus {
  /** The label selector in string form (`a=b,c=d`), for the scale subresource. */
  selector?: string
  replicas?: number
  readyReplicas?: number
  availableReplicas?: number
  upToDateReplicas?: number
  observedGeneration?: number
  conditions?: Condition[]
}

/** A zero-valued MachineSetSpec. */
export function emptyMachineSetSpec(): MachineSetSpec {
  return { clusterName: '', selector: {}, template: { spec: emptyMachineSpec() } }
}

/** Keeps a number of identical Machines running. */
export class MachineSet extends TypedObject<MachineSetSpec, MachineSetStatus> {
  static readonly kind = 'MachineSet'
  constructor(init: ObjectInit<MachineSetSpec, MachineSetStatus> = {}) {
    super(ClusterApiVersion, 'MachineSet', init, emptyMachineSetSpec(), {})
  }
}

/** A list of MachineSets. */
export class MachineSetList extends TypedList<MachineSet> {
  static readonly kind = 'MachineSetList'
  constructor(items: MachineSet[] = []) {
    super(ClusterApiVersion, 'MachineSetList', items)
  }
}

/** The Machine kind (`cluster.x-k8s.io/v1beta2`). */
import { ClusterApiVersion } from './groupversion.ts'
import type { Condition, ObjectReference } from './meta.ts'
import { TypedList, TypedObject, type ObjectInit } from './object.ts'

/** How a Machine gets its bootstrap data: a reference to a bootstrap config, or a ready data secret. */
export interface Bootstrap {
  configRef?: ObjectReference
  dataSecretName?: string
}

/** The desired state of a Machine (also the template spec of a MachineSet). */
export interface MachineSpec {
  clusterName: string
  bootstrap: Bootstrap
  /** The infrastructure machine (in a MachineSet template: the infrastructure machine *template*). */
  infrastructureRef: ObjectReference
  version?: string
  providerID?: string
  failureDomain?: string
  /** Seconds a Machine must be ready before it counts as available (in v1beta2 this lives on the Machine spec). */
  minReadySeconds?: number
}

/** The Node a Machine became. */
export interface MachineNodeReference {
  name: string
}

/** The observed state of a Machine. */
export interface MachineStatus {
  nodeRef?: MachineNodeReference
  conditions?: Condition[]
  phase?: string
  observedGeneration?: number
}

/** A zero-valued MachineSpec, the way Go zero-values a struct. */
export function emptyMachineSpec(): MachineSpec {
  return { clusterName: '', bootstrap: {}, infrastructureRef: { apiVersion: '', kind: '', name: '' } }
}

/** One machine of a cluster. */
export class Machine extends TypedObject<MachineSpec, MachineStatus> {
  static readonly kind = 'Machine'
  constructor(init: ObjectInit<MachineSpec, MachineStatus> = {}) {
    super(ClusterApiVersion, 'Machine', init, emptyMachineSpec(), {})
  }
}

/** A list of Machines. */
export class MachineList extends TypedList<Machine> {
  static readonly kind = 'MachineList'
  constructor(items: Machine[] = []) {
    super(ClusterApiVersion, 'MachineList', items)
  }
}

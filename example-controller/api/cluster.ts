/** The Cluster kind (`cluster.x-k8s.io/v1beta2`), reduced to what the MachineSet controller reads. */
import { ClusterApiVersion } from './groupversion.ts'
import type { Condition, ObjectReference } from './meta.ts'
import { TypedList, TypedObject, type ObjectInit } from './object.ts'

/** The desired state of a Cluster. */
export interface ClusterSpec {
  /** When true, controllers stop reconciling the cluster and its objects. */
  paused?: boolean
  infrastructureRef?: ObjectReference
  controlPlaneRef?: ObjectReference
}

/** The observed state of a Cluster. */
export interface ClusterStatus {
  conditions?: Condition[]
  phase?: string
  initialization?: { infrastructureProvisioned?: boolean; controlPlaneInitialized?: boolean }
}

/** A workload cluster; every MachineSet and Machine belongs to one (`spec.clusterName`). */
export class Cluster extends TypedObject<ClusterSpec, ClusterStatus> {
  static readonly kind = 'Cluster'
  constructor(init: ObjectInit<ClusterSpec, ClusterStatus> = {}) {
    super(ClusterApiVersion, 'Cluster', init, {}, {})
  }
}

/** A list of Clusters. */
export class ClusterList extends TypedList<Cluster> {
  static readonly kind = 'ClusterList'
  constructor(items: Cluster[] = []) {
    super(ClusterApiVersion, 'ClusterList', items)
  }
}

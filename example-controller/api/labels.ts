/** Label, annotation and finalizer keys of Cluster API that the example controller reads and writes. */

/** Label on every object of a cluster: the Cluster's name. */
export const ClusterNameLabel = 'cluster.x-k8s.io/cluster-name'

/** Label on every Machine of a MachineSet: the set's name (label-safe). */
export const MachineSetNameLabel = 'cluster.x-k8s.io/set-name'

/** Label on objects of a MachineDeployment: the deployment's name. */
export const MachineDeploymentNameLabel = 'cluster.x-k8s.io/deployment-name'

/** Annotation that marks a Machine to be deleted first when its MachineSet scales down. */
export const DeleteMachineAnnotation = 'cluster.x-k8s.io/delete-machine'

/** Annotation (`"true"`) on a MachineSet that stops it from creating Machines. */
export const DisableMachineCreateAnnotation = 'cluster.x-k8s.io/disable-machine-create'

/** Annotation that pauses reconciliation of the object that carries it. */
export const PausedAnnotation = 'cluster.x-k8s.io/paused'

/** Annotation on an object cloned from a template: the template's name. */
export const TemplateClonedFromNameAnnotation = 'cluster.x-k8s.io/cloned-from-name'

/** Annotation on an object cloned from a template: the template's `Kind.group`. */
export const TemplateClonedFromGroupKindAnnotation = 'cluster.x-k8s.io/cloned-from-groupkind'

/** Finalizer the MachineSet controller adds to MachineSets. */
export const MachineSetFinalizer = 'cluster.x-k8s.io/machineset'

/** Finalizer on Machines (set by the MachineSet controller when it creates them). */
export const MachineFinalizer = 'machine.cluster.x-k8s.io'

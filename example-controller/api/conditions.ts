/** Condition types and reasons of Cluster API that the example MachineSet controller sets or reads. */

/** MachineSet: true while the set creates machines to reach its replicas. */
export const ScalingUpCondition = 'ScalingUp'
/** MachineSet: true while the set deletes machines to reach its replicas. */
export const ScalingDownCondition = 'ScalingDown'
/** MachineSet: aggregate of its Machines' Ready conditions. */
export const MachinesReadyCondition = 'MachinesReady'
/** MachineSet: whether the last attempt to create machines succeeded. */
export const MachinesCreatedCondition = 'MachinesCreated'
/** MachineSet: true when the set has exactly the desired number of machines. */
export const ResizedCondition = 'Resized'

/** MachinesCreated reason: cloning the bootstrap template failed. */
export const BootstrapTemplateCloningFailedReason = 'BootstrapTemplateCloningFailed'
/** MachinesCreated reason: cloning the infrastructure template failed. */
export const InfrastructureTemplateCloningFailedReason = 'InfrastructureTemplateCloningFailed'
/** MachinesCreated reason: creating the Machine itself failed. */
export const MachineCreationFailedReason = 'MachineCreationFailed'

/** Machine: the Machine is ready. */
export const ReadyCondition = 'Ready'
/** Machine: the Machine's Node is healthy. */
export const NodeHealthyCondition = 'NodeHealthy'
/** Machine: the MachineHealthCheck found the Machine healthy. */
export const HealthCheckSucceededCondition = 'HealthCheckSucceeded'

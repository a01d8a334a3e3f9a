/** The example Cluster API types, their metadata, constants, and the `addToScheme` installers. */
export {
  BootstrapApiVersion,
  BootstrapGroupVersion,
  ClusterApiGroupVersion,
  ClusterApiVersion,
  InfrastructureApiVersion,
  InfrastructureGroupVersion,
  formatGroupVersion,
  gvkEquals,
  gvkFromApiVersionKind,
  gvkToString,
  parseGroupVersion,
  withKind,
} from './groupversion.ts'
export type { GroupVersion, GroupVersionKind } from './groupversion.ts'
export { UnstructuredList, isUnstructured } from './meta.ts'
export type {
  Condition,
  ConditionStatus,
  KubeList,
  KubeObject,
  LabelSelector,
  ListMeta,
  ObjectMeta,
  ObjectReference,
  OwnerReference,
  TemplateMeta,
  Unstructured,
} from './meta.ts'
export { TypedList, TypedObject, kindOfType } from './object.ts'
export type { ObjectInit, ObjectType } from './object.ts'
export { Cluster, ClusterList } from './cluster.ts'
export type { ClusterSpec, ClusterStatus } from './cluster.ts'
export { Machine, MachineList, emptyMachineSpec } from './machine.ts'
export type { Bootstrap, MachineNodeReference, MachineSpec, MachineStatus } from './machine.ts'
export { MachineSet, MachineSetDeletionOrders, MachineSetList, emptyMachineSetSpec } from './machineset.ts'
export type {
  MachineSetDeletionOrder,
  MachineSetSpec,
  MachineSetStatus,
  MachineTemplateSpec,
} from './machineset.ts'
export {
  GenericBootstrapConfig,
  GenericBootstrapConfigList,
  GenericBootstrapConfigTemplate,
  GenericBootstrapConfigTemplateList,
  GenericInfrastructureMachine,
  GenericInfrastructureMachineList,
  GenericInfrastructureMachineTemplate,
  GenericInfrastructureMachineTemplateList,
} from './generic.ts'
export type { ProviderFields, ProviderTemplateSpec } from './generic.ts'
export {
  ClusterNameLabel,
  DeleteMachineAnnotation,
  DisableMachineCreateAnnotation,
  MachineDeploymentNameLabel,
  MachineFinalizer,
  MachineSetFinalizer,
  MachineSetNameLabel,
  PausedAnnotation,
  TemplateClonedFromGroupKindAnnotation,
  TemplateClonedFromNameAnnotation,
} from './labels.ts'
export {
  BootstrapTemplateCloningFailedReason,
  HealthCheckSucceededCondition,
  InfrastructureTemplateCloningFailedReason,
  MachineCreationFailedReason,
  MachinesCreatedCondition,
  MachinesReadyCondition,
  NodeHealthyCondition,
  ReadyCondition,
  ResizedCondition,
  ScalingDownCondition,
  ScalingUpCondition,
} from './conditions.ts'
export { addBootstrapToScheme, addClusterApiToScheme, addInfrastructureToScheme, addToScheme } from './register.ts'

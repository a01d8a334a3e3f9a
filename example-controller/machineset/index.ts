/**
 * The MachineSet controller: a behaviour-level port of Cluster API's `internal/controllers/machineset`.
 * `MachineSetReconciler` is the entry point; the phases and helpers are exported for tests and for reuse.
 */
export { MachineSetReconciler, STALE_READ_REQUEUE_MS, compareResourceVersions } from './reconciler.ts'
export type { MachineSetReconcilerOptions } from './reconciler.ts'
export { lowestNonZeroResult, newScope, objectKeyString } from './scope.ts'
export type { MachineSetPhase, MachineSetScope, ReconcileResult, ReconcilerDeps } from './scope.ts'
export { MACHINE_NAME_SUFFIX_LENGTH, fixedClock, machineNameSuffix, shuffled, systemClock } from './sources.ts'
export type { Clock } from './sources.ts'
export { MemoryEventRecorder } from './events.ts'
export type { EventRecorder, EventType, RecordedEvent } from './events.ts'
export { ReconcileAggregateError, aggregate, toError, wrapError } from './errors.ts'
export {
  INTERNAL_ERROR_MESSAGE,
  MachineConditions,
  MachineSetConditions,
  MachineSetReasons,
  getCondition,
  isFalse,
  isTrue,
  kubeTimestamp,
  sameState,
  setCondition,
} from './conditions.ts'
export type { ConditionInput, WithConditions } from './conditions.ts'
export {
  BETTER_DELETE,
  COULD_DELETE,
  MUST_DELETE,
  MUST_NOT_DELETE,
  SECONDS_PER_TEN_DAYS,
  SHOULD_DELETE_FIRST,
  UnsupportedDeletionOrderError,
  getDeletePriorityFunc,
  isMachineHealthy,
  machinesToDeletePrioritized,
  newestDeletionOrder,
  oldestDeletionOrder,
  randomDeletionOrder,
  timestampMillis,
} from './deletion-order.ts'
export type { DeletePriority, DeletePriorityFunc, DeletionCandidate } from './deletion-order.ts'
export {
  MAX_GENERATED_NAME_LENGTH,
  computeDesiredMachine,
  machineAnnotationsFromMachineSet,
  machineLabelsFromMachineSet,
  machineName,
} from './desired-machine.ts'
export {
  ensureOwnerRef,
  getControllerOf,
  hasExactOwnerRef,
  hasOwner,
  isControlledBy,
  newControllerRef,
  ownerRefTo,
} from './owner-refs.ts'
export { selectorMatches, selectorString } from './selector.ts'
export {
  TEMPLATE_SUFFIX,
  createFromTemplate,
  deleteExternal,
  generateFromTemplate,
  getExternal,
  groupKindString,
  refString,
  referenceToUnstructured,
} from './external.ts'
export type { CreateFromTemplateInput } from './external.ts'
export { isDeploymentChild, reconcileOwnerAndLabels, shouldAdopt } from './owner-and-labels.ts'
export { reconcileBootstrapReference, reconcileInfrastructureReference, reconcileTemplateReference } from './template-references.ts'
export { adoptOrphan, getAndAdoptMachines, getAndAdoptMachinesPhase, shouldExcludeMachine } from './adoption.ts'
export { createMachines } from './create-machines.ts'
export { cleanupOrphanedObjects } from './orphans.ts'
export { deleteMachines, syncReplicas } from './sync-replicas.ts'
export { reconcileDelete } from './reconcile-delete.ts'
export {
  REPLICA_REFRESH_REQUEUE_MS,
  missingReferencesMessage,
  requeueForReplicaCounters,
  setReplicaCounters,
  updateStatus,
  updateV1Beta1Conditions,
} from './status.ts'
export { ensurePausedCondition, pausedCondition } from './pause.ts'
export { patchMachineSetStatus } from './write-status.ts'

/**
 * The MachineSet reconciler (upstream `machineset_controller.go` `Reconcile`): read the set and its Cluster, add the
 * finalizer, honour pausing, run the phases, compute the status, and write everything back with one patch.
 */
import { Cluster } from '../api/cluster.ts'
import { MachineSetFinalizer } from '../api/labels.ts'
import { MachineSet } from '../api/machineset.ts'
import { isNotFound } from '../client/errors.ts'
import { createMergePatch, mergeFrom, toJson, type JsonObject } from '../client/patch.ts'
import type { Random } from '../client/random.ts'
import type { Client, ObjectKey } from '../client/types.ts'
import { getAndAdoptMachinesPhase } from './adoption.ts'
import { aggregate, toError, wrapError } from './errors.ts'
import { MemoryEventRecorder, type EventRecorder } from './events.ts'
import { reconcileOwnerAndLabels } from './owner-and-labels.ts'
import { ensurePausedCondition } from './pause.ts'
import { reconcileDelete } from './reconcile-delete.ts'
import {
  lowestNonZeroResult,
  newScope,
  type MachineSetPhase,
  type MachineSetScope,
  type ReconcileResult,
  type ReconcilerDeps,
} from './scope.ts'
import { systemClock, type Clock } from './sources.ts'
import { requeueForReplicaCounters, updateStatus, updateV1Beta1Conditions } from './status.ts'
import { syncReplicas } from './sync-replicas.ts'
import { patchMachineSetStatus } from './write-status.ts'
import { reconcileBootstrapReference, reconcileInfrastructureReference } from './template-references.ts'

/** How soon to look again when the read MachineSet is older than the last one this reconciler wrote. */
export const STALE_READ_REQUEUE_MS = 100

/** What a MachineSetReconciler is built from; everything but the client has a default. */
export interface MachineSetReconcilerOptions {
  client: Client
  /** Source of Machine name suffixes (default `Math.random`; tests pass `seededRandom(seed)`). */
  random?: Random
  /** The clock (default: the system clock). */
  clock?: Clock
  /** Where events go (default: a MemoryEventRecorder). */
  recorder?: EventRecorder
}

/** A phase with the message upstream wraps its errors in. */
interface NamedPhase {
  run: MachineSetPhase
  errorMessage: string
}

const alwaysPhases: NamedPhase[] = [
  { run: reconcileOwnerAndLabels, errorMessage: 'failed to set MachineSet owner and labels' },
  { run: reconcileInfrastructureReference, errorMessage: 'failed to reconcile infrastructure' },
  { run: reconcileBootstrapReference, errorMessage: 'failed to reconcile bootstrapConfig' },
  { run: getAndAdoptMachinesPhase, errorMessage: 'failed to get and adopt Machines for MachineSet' },
]
// Both final phases also check `scope.getAndAdoptMachinesSucceeded` themselves and do nothing when listing Machines
// failed. Upstream dropped that guard from syncReplicas and reconcileDelete in 2026; without it a failed list leaves
// `scope.machines` empty, so syncReplicas would create a full set of replicas next to the existing Machines and
// reconcileDelete would remove the finalizer while Machines still exist. That reads like a bug, so this port keeps the
// guard: after a list failure the reconcile reports the error and the next attempt scales from a real count.
const normalPhases: NamedPhase[] = [...alwaysPhases, { run: syncReplicas, errorMessage: 'failed to sync replicas' }]
const deletePhases: NamedPhase[] = [...alwaysPhases, { run: reconcileDelete, errorMessage: 'failed to reconcile delete' }]

/** Runs every phase even after one failed, and aggregates the errors (upstream `doReconcile`). */
async function runPhases(deps: ReconcilerDeps, scope: MachineSetScope, phases: readonly NamedPhase[]): Promise<{ result: ReconcileResult; errors: Error[] }> {
  let result: ReconcileResult = {}
  const errors: Error[] = []
  for (const phase of phases) {
    try {
      const phaseResult = await phase.run(deps, scope)
      // Once something failed, the requeue hints of later phases no longer matter: the error requeues anyway.
      if (errors.length === 0) result = lowestNonZeroResult(result, phaseResult)
    } catch (err) {
      errors.push(wrapError(err, phase.errorMessage))
    }
  }
  return { result: errors.length > 0 ? {} : result, errors }
}

function metadataAndSpec(ms: MachineSet): JsonObject {
  return toJson({ metadata: ms.metadata, spec: ms.spec }) as JsonObject
}

function hasChanges(before: JsonObject, after: JsonObject): boolean {
  return Object.keys(createMergePatch(before, after)).length > 0
}

/**
 * Reconciles MachineSets against a Client: create or delete Machines until each set has `spec.replicas` of them.
 *
 * @example
 * const reconciler = new MachineSetReconciler({ client, random: seededRandom(1) })
 * const result = await reconciler.reconcile({ namespace: 'default', name: 'ms' })
 */
export class MachineSetReconciler {
  /** The client, randomness, clock and recorder the phases use. */
  readonly deps: ReconcilerDeps
  /**
   * The over-creation guard: the last resourceVersion this reconciler wrote per MachineSet (`namespace/name`). A read
   * that is older than what we wrote comes from a lagging cache; acting on it would, for example, count Machines from
   * before our last scale-up and create them again. Such reads are answered with a short requeue until they catch up.
   */
  private readonly lastWritten = new Map<string, { resourceVersion: string; uid: string | undefined }>()

  /** Creates a reconciler; only `client` is required. */
  constructor(options: MachineSetReconcilerOptions) {
    this.deps = {
      client: options.client,
      random: options.random ?? Math.random,
      clock: options.clock ?? systemClock,
      recorder: options.recorder ?? new MemoryEventRecorder(),
    }
  }

  /** Reconciles one MachineSet; resolves to when to look again, rejects with the (aggregated) errors. */
  async reconcile(request: ObjectKey): Promise<ReconcileResult> {
    const { client } = this.deps
    const key = `${request.namespace ?? ''}/${request.name}`
    const machineSet = new MachineSet()
    try {
      await client.get(request, machineSet)
    } catch (err) {
      if (isNotFound(err)) {
        // Gone: nothing to do, and nothing to remember (a new set of the same name starts from scratch).
        this.lastWritten.delete(key)
        return {}
      }
      throw err
    }
    if (this.isStale(key, machineSet)) return { requeueAfter: STALE_READ_REQUEUE_MS }

    const cluster = new Cluster()
    try {
      await client.get({ namespace: machineSet.metadata.namespace, name: machineSet.spec.clusterName }, cluster)
    } catch (err) {
      throw wrapError(err, `failed to get Cluster ${machineSet.metadata.namespace ?? ''}/${machineSet.spec.clusterName}`)
    }

    // Add the finalizer first and return, so a delete arriving between now and the first Machine creation cannot
    // remove the set before its Machines are cleaned up. A set already being deleted does not get one: the API server
    // refuses new finalizers on deleting objects.
    if (machineSet.metadata.deletionTimestamp === undefined && !(machineSet.metadata.finalizers ?? []).includes(MachineSetFinalizer)) {
      const patch = mergeFrom(structuredClone(machineSet))
      machineSet.metadata.finalizers = [...(machineSet.metadata.finalizers ?? []), MachineSetFinalizer]
      await client.patch(machineSet, patch)
      this.remember(key, machineSet)
      return {}
    }

    const rvBeforePause = machineSet.metadata.resourceVersion
    const paused = await ensurePausedCondition(client, cluster, machineSet, this.deps.clock())
    if (machineSet.metadata.resourceVersion !== rvBeforePause) this.remember(key, machineSet)
    if (paused) return {}

    const original = structuredClone(machineSet)
    const scope = newScope(machineSet, cluster, this.deps.clock())
    const deleting = machineSet.metadata.deletionTimestamp !== undefined
    const { result, errors } = await runPhases(this.deps, scope, deleting ? deletePhases : normalPhases)

    // Always compute the status and patch, also after errors: conditions explain the errors to users.
    const now = this.deps.clock()
    try {
      updateV1Beta1Conditions(scope, now)
    } catch (err) {
      errors.push(wrapError(err, 'failed to update status'))
    }
    updateStatus(scope, now)
    // observedGeneration says "the status reflects this generation"; only a fully successful reconcile can claim it.
    if (errors.length === 0) machineSet.status.observedGeneration = machineSet.metadata.generation ?? 0
    try {
      await this.patchMachineSet(original, machineSet)
      this.remember(key, machineSet)
    } catch (err) {
      errors.push(toError(err))
    }

    const failure = aggregate(errors)
    if (failure !== undefined) throw failure
    if (deleting) return result
    return lowestNonZeroResult(result, requeueForReplicaCounters(machineSet))
  }

  /**
   * Writes metadata and spec with a merge patch, then status through the status subresource (each only when changed).
   * A set whose last finalizer the first patch removed is gone by the time of the second; that is not an error.
   */
  private async patchMachineSet(original: MachineSet, machineSet: MachineSet): Promise<void> {
    const { client } = this.deps
    const desiredStatus = structuredClone(machineSet.status)
    let stored: MachineSet = original
    if (hasChanges(metadataAndSpec(original), metadataAndSpec(machineSet))) {
      await client.patch(machineSet, mergeFrom(original))
      // The response carries the stored (old) status; put back the one we computed.
      stored = structuredClone(machineSet)
      machineSet.status = desiredStatus
    }
    if (!hasChanges(toJson(stored.status) as JsonObject, toJson(desiredStatus) as JsonObject)) return
    const gone = machineSet.metadata.deletionTimestamp !== undefined && (machineSet.metadata.finalizers ?? []).length === 0
    try {
      await patchMachineSetStatus(client, machineSet, stored)
    } catch (err) {
      if (!(gone && isNotFound(err))) throw err
    }
  }

  /** True when `machineSet` is older than the last version this reconciler wrote (see `lastWritten`). */
  private isStale(key: string, machineSet: MachineSet): boolean {
    const last = this.lastWritten.get(key)
    if (last === undefined) return false
    if (last.uid !== undefined && machineSet.metadata.uid !== undefined && last.uid !== machineSet.metadata.uid) {
      this.lastWritten.delete(key)
      return false
    }
    if (compareResourceVersions(machineSet.metadata.resourceVersion, last.resourceVersion) < 0) return true
    this.lastWritten.delete(key)
    return false
  }

  private remember(key: string, machineSet: MachineSet): void {
    const resourceVersion = machineSet.metadata.resourceVersion
    if (resourceVersion === undefined) return
    this.lastWritten.set(key, { resourceVersion, uid: machineSet.metadata.uid })
  }
}

/**
 * Orders two resourceVersions. They are opaque to clients in general; this guard relies on them being increasing
 * integers (true for etcd and for the fake client). Anything else compares as "caught up".
 *
 * @example
 * compareResourceVersions('9', '10') // -1
 */
export function compareResourceVersions(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return 0
  const x = BigInt(a)
  const y = BigInt(b)
  return x < y ? -1 : x > y ? 1 : 0
}

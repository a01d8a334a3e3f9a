/**
 * What one reconciliation of a MachineSet works on (upstream `scope`), the dependencies every phase shares, and the
 * result type of a phase.
 */
import type { Cluster } from '../api/cluster.ts'
import type { Machine } from '../api/machine.ts'
import type { MachineSet } from '../api/machineset.ts'
import type { Random } from '../client/random.ts'
import type { Client } from '../client/types.ts'
import type { EventRecorder } from './events.ts'
import type { Clock } from './sources.ts'

/** The outcome of a reconcile or a phase: when to look again (milliseconds); empty means "only on the next event". */
export interface ReconcileResult {
  requeueAfter?: number
}

/** The state one reconciliation builds up as its phases run. */
export interface MachineSetScope {
  /** The MachineSet, modified in memory by the phases and patched once at the end. */
  machineSet: MachineSet
  cluster: Cluster
  /** The Machines that belong to the set (filled by getAndAdoptMachines). */
  machines: Machine[]
  /** The bootstrap config template does not exist. */
  bootstrapObjectNotFound: boolean
  /** The infrastructure machine template does not exist. */
  infrastructureObjectNotFound: boolean
  /** Listing (and adopting) Machines succeeded, so `machines` can be trusted. */
  getAndAdoptMachinesSucceeded: boolean
  /** The clock reading at the start of the reconciliation. */
  reconciliationTime: Date
}

/** The dependencies every phase uses. */
export interface ReconcilerDeps {
  client: Client
  /** Source of Machine name suffixes. */
  random: Random
  clock: Clock
  recorder: EventRecorder
}

/** One step of a reconciliation; it throws on failure. */
export type MachineSetPhase = (deps: ReconcilerDeps, scope: MachineSetScope) => Promise<ReconcileResult>

/**
 * Returns a fresh scope for a MachineSet and its Cluster, before any phase ran.
 *
 * @example
 * const scope = newScope(ms, cluster, new Date())
 */
export function newScope(machineSet: MachineSet, cluster: Cluster, reconciliationTime: Date): MachineSetScope {
  return {
    machineSet,
    cluster,
    machines: [],
    bootstrapObjectNotFound: false,
    infrastructureObjectNotFound: false,
    getAndAdoptMachinesSucceeded: false,
    reconciliationTime,
  }
}

/**
 * Returns the result that requeues soonest, ignoring empty ones (upstream `util.LowestNonZeroResult`).
 *
 * @example
 * lowestNonZeroResult({ requeueAfter: 15000 }, { requeueAfter: 100 }) // { requeueAfter: 100 }
 */
export function lowestNonZeroResult(a: ReconcileResult, b: ReconcileResult): ReconcileResult {
  const av = a.requeueAfter ?? 0
  const bv = b.requeueAfter ?? 0
  if (av <= 0) return bv > 0 ? { requeueAfter: bv } : {}
  if (bv <= 0) return { requeueAfter: av }
  return { requeueAfter: Math.min(av, bv) }
}

/** `namespace/name` of an object, for messages (upstream `klog.KObj`). */
export function objectKeyString(obj: { metadata: { namespace?: string; name?: string } }): string {
  const { namespace, name } = obj.metadata
  return namespace ? `${namespace}/${name ?? ''}` : (name ?? '')
}

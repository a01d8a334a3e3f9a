/**
 * Scaling up (the create branch of upstream `syncReplicas`). Each Machine is made in three steps — BootstrapConfig
 * from its template, InfraMachine from its template, then the Machine pointing at both — and each step has its own
 * failure behaviour:
 * - bootstrap fails: MachinesCreated False `BootstrapTemplateCloningFailed`, stop;
 * - infrastructure fails: delete the BootstrapConfig just made (or it leaks), MachinesCreated False
 *   `InfrastructureTemplateCloningFailed`, stop — "hold off", because every further attempt would fail the same way;
 * - the Machine fails: delete both objects, MachinesCreated False `MachineCreationFailed`, go on with the next one.
 */
import type { Machine } from '../api/machine.ts'
import type { MachineSet } from '../api/machineset.ts'
import type { ObjectReference } from '../api/meta.ts'
import { MachineSetConditions, MachineSetReasons, setCondition } from './conditions.ts'
import { computeDesiredMachine } from './desired-machine.ts'
import { aggregate, toError, wrapError } from './errors.ts'
import { createFromTemplate, deleteExternal, refString } from './external.ts'
import { ownerRefTo } from './owner-refs.ts'
import type { ReconcilerDeps } from './scope.ts'

function markCreateFailed(deps: ReconcilerDeps, machineSet: MachineSet, reason: string, err: unknown): void {
  setCondition(
    machineSet,
    { type: MachineSetConditions.MachinesCreated, status: 'False', reason, message: toError(err).message },
    deps.clock(),
  )
}

/**
 * Creates `count` Machines (with their BootstrapConfigs and InfraMachines) for a MachineSet and returns those created.
 * Throws after the first bootstrap or infrastructure failure, or at the end when any Machine failed.
 *
 * @example
 * const created = await createMachines(deps, ms, 3)
 */
export async function createMachines(deps: ReconcilerDeps, machineSet: MachineSet, count: number): Promise<Machine[]> {
  const { client, recorder } = deps
  const namespace = machineSet.metadata.namespace ?? ''
  const templateSpec = machineSet.spec.template.spec
  // The cloned objects are owned by the MachineSet (not as controller) until the Machine controller takes them over,
  // so they are garbage-collected with the set if the Machine is never made.
  const ownerRef = ownerRefTo(machineSet)

  const created: Machine[] = []
  const errors: Error[] = []
  for (let i = 0; i < count; i++) {
    const machine = computeDesiredMachine(machineSet, undefined, deps.random)
    const name = machine.metadata.name ?? ''
    const common = {
      namespace,
      name,
      clusterName: machine.spec.clusterName,
      labels: machine.metadata.labels,
      annotations: machine.metadata.annotations,
      ownerRef,
    }

    let bootstrapRef: ObjectReference | undefined
    const bootstrapTemplate = templateSpec.bootstrap.configRef
    if (bootstrapTemplate !== undefined) {
      try {
        bootstrapRef = await createFromTemplate(client, { ...common, templateRef: bootstrapTemplate })
      } catch (err) {
        markCreateFailed(deps, machineSet, MachineSetReasons.BootstrapTemplateCloningFailed, err)
        throw wrapError(
          err,
          `failed to clone bootstrap configuration from ${bootstrapTemplate.kind} ${refString(bootstrapTemplate, namespace)} while creating a machine`,
        )
      }
      machine.spec.bootstrap.configRef = bootstrapRef
    }

    const infraTemplate = templateSpec.infrastructureRef
    let infraRef: ObjectReference
    try {
      infraRef = await createFromTemplate(client, { ...common, templateRef: infraTemplate })
    } catch (err) {
      let cleanupError: Error | undefined
      if (bootstrapRef !== undefined) {
        try {
          await deleteExternal(client, bootstrapRef, namespace)
        } catch (deleteErr) {
          cleanupError = wrapError(
            deleteErr,
            `failed to cleanup ${bootstrapRef.kind} ${refString(bootstrapRef, namespace)} after ${infraTemplate.kind} creation failed`,
          )
        }
      }
      markCreateFailed(deps, machineSet, MachineSetReasons.InfrastructureTemplateCloningFailed, err)
      throw aggregate([
        wrapError(err, `failed to clone infrastructure machine from ${infraTemplate.kind} ${refString(infraTemplate, namespace)} while creating a machine`),
        cleanupError,
      ]) as Error
    }
    machine.spec.infrastructureRef = infraRef

    try {
      await client.create(machine)
    } catch (err) {
      const error = toError(err)
      recorder.event(machineSet, 'Warning', 'FailedCreate', `Failed to create machine: ${error.message}`)
      errors.push(error)
      markCreateFailed(deps, machineSet, MachineSetReasons.MachineCreationFailed, error)
      // Best effort: a failed cleanup leaves an orphan that the next syncReplicas removes (see orphans.ts).
      await deleteExternal(client, infraRef, namespace).catch(() => undefined)
      if (bootstrapRef !== undefined) await deleteExternal(client, bootstrapRef, namespace).catch(() => undefined)
      continue
    }
    recorder.event(machineSet, 'Normal', 'SuccessfulCreate', `Created machine "${name}"`)
    created.push(machine)
  }

  const failure = aggregate(errors)
  if (failure !== undefined) throw failure
  return created
}

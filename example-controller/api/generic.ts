/**
 * The generic provider kinds of Cluster API's tests: infrastructure machines and bootstrap configs, and the
 * templates a MachineSet clones them from. Their spec is free-form, as for any provider CRD.
 */
import { BootstrapApiVersion, InfrastructureApiVersion } from './groupversion.ts'
import type { TemplateMeta } from './meta.ts'
import { TypedList, TypedObject, type ObjectInit } from './object.ts'

/** A provider object's free-form spec or status. */
export type ProviderFields = Record<string, unknown>

/** The spec of a provider template: what objects cloned from it look like. */
export interface ProviderTemplateSpec {
  template: { metadata?: TemplateMeta; spec: ProviderFields }
}

function emptyTemplateSpec(): ProviderTemplateSpec {
  return { template: { spec: {} } }
}

/** The template a MachineSet clones GenericInfrastructureMachines from. */
export class GenericInfrastructureMachineTemplate extends TypedObject<ProviderTemplateSpec, ProviderFields> {
  static readonly kind = 'GenericInfrastructureMachineTemplate'
  constructor(init: ObjectInit<ProviderTemplateSpec, ProviderFields> = {}) {
    super(InfrastructureApiVersion, 'GenericInfrastructureMachineTemplate', init, emptyTemplateSpec(), {})
  }
}

/** A list of GenericInfrastructureMachineTemplates. */
export class GenericInfrastructureMachineTemplateList extends TypedList<GenericInfrastructureMachineTemplate> {
  static readonly kind = 'GenericInfrastructureMachineTemplateList'
  constructor(items: GenericInfrastructureMachineTemplate[] = []) {
    super(InfrastructureApiVersion, 'GenericInfrastructureMachineTemplateList', items)
  }
}

/** The infrastructure of one Machine (named like the Machine). */
export class GenericInfrastructureMachine extends TypedObject<ProviderFields, ProviderFields> {
  static readonly kind = 'GenericInfrastructureMachine'
  constructor(init: ObjectInit<ProviderFields, ProviderFields> = {}) {
    super(InfrastructureApiVersion, 'GenericInfrastructureMachine', init, {}, {})
  }
}

/** A list of GenericInfrastructureMachines. */
export class GenericInfrastructureMachineList extends TypedList<GenericInfrastructureMachine> {
  static readonly kind = 'GenericInfrastructureMachineList'
  constructor(items: GenericInfrastructureMachine[] = []) {
    super(InfrastructureApiVersion, 'GenericInfrastructureMachineList', items)
  }
}

/** The template a MachineSet clones GenericBootstrapConfigs from. */
export class GenericBootstrapConfigTemplate extends TypedObject<ProviderTemplateSpec, ProviderFields> {
  static readonly kind = 'GenericBootstrapConfigTemplate'
  constructor(init: ObjectInit<ProviderTemplateSpec, ProviderFields> = {}) {
    super(BootstrapApiVersion, 'GenericBootstrapConfigTemplate', init, emptyTemplateSpec(), {})
  }
}

/** A list of GenericBootstrapConfigTemplates. */
export class GenericBootstrapConfigTemplateList extends TypedList<GenericBootstrapConfigTemplate> {
  static readonly kind = 'GenericBootstrapConfigTemplateList'
  constructor(items: GenericBootstrapConfigTemplate[] = []) {
    super(BootstrapApiVersion, 'GenericBootstrapConfigTemplateList', items)
  }
}

/** The bootstrap configuration of one Machine. */
export class GenericBootstrapConfig extends TypedObject<ProviderFields, ProviderFields> {
  static readonly kind = 'GenericBootstrapConfig'
  constructor(init: ObjectInit<ProviderFields, ProviderFields> = {}) {
    super(BootstrapApiVersion, 'GenericBootstrapConfig', init, {}, {})
  }
}

/** A list of GenericBootstrapConfigs. */
export class GenericBootstrapConfigList extends TypedList<GenericBootstrapConfig> {
  static readonly kind = 'GenericBootstrapConfigList'
  constructor(items: GenericBootstrapConfig[] = []) {
    super(BootstrapApiVersion, 'GenericBootstrapConfigList', items)
  }
}

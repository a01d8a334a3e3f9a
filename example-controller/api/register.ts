/**
 * Installers that register the example API in a Scheme. `addToScheme` installs everything; the per-group
 * installers exist because Cluster API's own tests handle provider kinds as unstructured objects that no
 * scheme knows — which is how listing them ends up writing into the (shared) scheme.
 */
import type { Scheme } from '../scheme/scheme.ts'
import { Cluster, ClusterList } from './cluster.ts'
import {
  GenericBootstrapConfig,
  GenericBootstrapConfigList,
  GenericBootstrapConfigTemplate,
  GenericBootstrapConfigTemplateList,
  GenericInfrastructureMachine,
  GenericInfrastructureMachineList,
  GenericInfrastructureMachineTemplate,
  GenericInfrastructureMachineTemplateList,
} from './generic.ts'
import { BootstrapGroupVersion, ClusterApiGroupVersion, InfrastructureGroupVersion } from './groupversion.ts'
import { Machine, MachineList } from './machine.ts'
import { MachineSet, MachineSetList } from './machineset.ts'

/** Registers Cluster, MachineSet and Machine (and their lists) under `cluster.x-k8s.io/v1beta2`. */
export function addClusterApiToScheme(scheme: Scheme): void {
  scheme.addKnownTypes(ClusterApiGroupVersion, Cluster, ClusterList, MachineSet, MachineSetList, Machine, MachineList)
}

/** Registers the generic infrastructure kinds under `infrastructure.cluster.x-k8s.io/v1beta2`. */
export function addInfrastructureToScheme(scheme: Scheme): void {
  scheme.addKnownTypes(
    InfrastructureGroupVersion,
    GenericInfrastructureMachineTemplate,
    GenericInfrastructureMachineTemplateList,
    GenericInfrastructureMachine,
    GenericInfrastructureMachineList,
  )
}

/** Registers the generic bootstrap kinds under `bootstrap.cluster.x-k8s.io/v1beta2`. */
export function addBootstrapToScheme(scheme: Scheme): void {
  scheme.addKnownTypes(
    BootstrapGroupVersion,
    GenericBootstrapConfigTemplate,
    GenericBootstrapConfigTemplateList,
    GenericBootstrapConfig,
    GenericBootstrapConfigList,
  )
}

/** Registers the whole example API (core, infrastructure and bootstrap kinds) in a Scheme. */
export function addToScheme(scheme: Scheme): void {
  addClusterApiToScheme(scheme)
  addInfrastructureToScheme(scheme)
  addBootstrapToScheme(scheme)
}

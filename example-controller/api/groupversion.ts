/**
 * Group, version and kind: the names a Scheme maps to constructors, and helpers to move between
 * `apiVersion` strings and structured values.
 */

/** An API group and version, e.g. `{ group: 'cluster.x-k8s.io', version: 'v1beta2' }`. */
export interface GroupVersion {
  readonly group: string
  readonly version: string
}

/** A group, version and kind: the identity of a type in a Scheme. */
export interface GroupVersionKind extends GroupVersion {
  readonly kind: string
}

/** Parses an `apiVersion` string (`group/version`, or `version` for the core group) into a GroupVersion. */
export function parseGroupVersion(apiVersion: string): GroupVersion {
  const slash = apiVersion.indexOf('/')
  if (slash === -1) return { group: '', version: apiVersion }
  if (apiVersion.indexOf('/', slash + 1) !== -1) {
    throw new Error(`unexpected GroupVersion string: "${apiVersion}"`)
  }
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) }
}

/** Formats a GroupVersion as an `apiVersion` string (`group/version`, or `version` for the core group). */
export function formatGroupVersion(gv: GroupVersion): string {
  return gv.group === '' ? gv.version : `${gv.group}/${gv.version}`
}

/** Returns the GroupVersionKind with the given kind in a GroupVersion. */
export function withKind(gv: GroupVersion, kind: string): GroupVersionKind {
  return { group: gv.group, version: gv.version, kind }
}

/** Builds a GroupVersionKind from an object's `apiVersion` and `kind`. */
export function gvkFromApiVersionKind(apiVersion: string, kind: string): GroupVersionKind {
  return withKind(parseGroupVersion(apiVersion), kind)
}

/** Formats a GroupVersionKind the way apimachinery does (`group/version, Kind=Kind`); used as a map key. */
export function gvkToString(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}, Kind=${gvk.kind}`
}

/** True when two GroupVersionKinds name the same type. */
export function gvkEquals(a: GroupVersionKind, b: GroupVersionKind): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind
}

/** The Cluster API core group (`cluster.x-k8s.io/v1beta2`): Cluster, MachineSet, Machine. */
export const ClusterApiGroupVersion: GroupVersion = Object.freeze({ group: 'cluster.x-k8s.io', version: 'v1beta2' })

/** The infrastructure provider group of the example (`infrastructure.cluster.x-k8s.io/v1beta2`). */
export const InfrastructureGroupVersion: GroupVersion = Object.freeze({
  group: 'infrastructure.cluster.x-k8s.io',
  version: 'v1beta2',
})

/** The bootstrap provider group of the example (`bootstrap.cluster.x-k8s.io/v1beta2`). */
export const BootstrapGroupVersion: GroupVersion = Object.freeze({
  group: 'bootstrap.cluster.x-k8s.io',
  version: 'v1beta2',
})

/** `cluster.x-k8s.io/v1beta2` as an `apiVersion` string. */
export const ClusterApiVersion = formatGroupVersion(ClusterApiGroupVersion)
/** `infrastructure.cluster.x-k8s.io/v1beta2` as an `apiVersion` string. */
export const InfrastructureApiVersion = formatGroupVersion(InfrastructureGroupVersion)
/** `bootstrap.cluster.x-k8s.io/v1beta2` as an `apiVersion` string. */
export const BootstrapApiVersion = formatGroupVersion(BootstrapGroupVersion)

/** Resource names for error messages, guessed from kinds the way apimachinery does for unknown kinds. */
import type { GroupVersionKind } from '../api/groupversion.ts'

/** Guesses the plural resource of a kind: `Machine` → `machines`, `Policy` → `policies`, `Class` → `classes`. */
export function guessResource(kind: string): string {
  const lower = kind.toLowerCase()
  if (lower.endsWith('s')) return `${lower}es`
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`
  return `${lower}s`
}

/** The group-qualified resource of a GroupVersionKind, e.g. `machines.cluster.x-k8s.io`. */
export function groupResource(gvk: GroupVersionKind): string {
  const resource = guessResource(gvk.kind)
  return gvk.group === '' ? resource : `${resource}.${gvk.group}`
}

/** The group-qualified kind of a GroupVersionKind, e.g. `Machine.cluster.x-k8s.io`. */
export function groupKind(gvk: GroupVersionKind): string {
  return gvk.group === '' ? gvk.kind : `${gvk.kind}.${gvk.group}`
}

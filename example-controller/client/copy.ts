/**
 * Copies between callers' objects and the store. In: a JSON round trip, which also drops `undefined`
 * fields and prototypes the way serialisation to the API server would. Out: a structured clone written
 * into the caller's object, keeping its class, so a typed object stays an instance of its type.
 */
import type { KubeObject, Unstructured } from '../api/meta.ts'
import { isUnstructured } from '../api/meta.ts'

/** Returns a plain-data copy of an object for the store. */
export function toStored(obj: object): Unstructured {
  return JSON.parse(JSON.stringify(obj)) as Unstructured
}

/**
 * Replaces every field of `target` with a deep copy of `source`. A typed target is first reset to its
 * constructor's zero value (Go's `zero(obj)` before decoding), so fields the source lacks stay well-typed.
 */
export function fillFrom<T extends object>(target: T, source: object): T {
  const zero: object = isUnstructured(target) ? {} : new (target.constructor as new () => object)()
  for (const key of Object.keys(target)) delete (target as Record<string, unknown>)[key]
  Object.assign(target, zero, structuredClone(source))
  return target
}

/** A deep copy of a stored object as an instance of `type` (for typed list items). */
export function copyAs(type: (new () => object) | undefined, source: Unstructured): KubeObject {
  const copy = structuredClone(source)
  return type === undefined ? copy : (Object.assign(new type(), copy) as KubeObject)
}

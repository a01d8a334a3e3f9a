/**
 * JSON merge patches (RFC 7386): how to compute one from an original and a modified object (`mergeFrom`, as
 * controller-runtime's `client.MergeFrom`) and how to apply one. Arrays are replaced whole and `null`
 * deletes a field — the RFC's semantics, not strategic merge.
 */

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue }

/** The patch types the fake client understands. */
export type PatchType = 'merge'

/** A patch: its type and its body, computed for the object being patched. */
export interface Patch {
  readonly type: PatchType
  /** The patch body for `obj` (the modified object passed to `client.patch`). */
  data(obj: object): JsonObject
}

/** Options of `mergeFrom`. */
export interface MergeFromOptions {
  /** Include the original resourceVersion, so the patch fails with Conflict if the object changed since. */
  optimisticLock?: boolean
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Converts a value to JSON data: drops `undefined` fields and class prototypes, as serialisation would. */
export function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue
}

function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]))
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEqual(a[k], b[k]))
  }
  return false
}

/** Computes the merge patch that turns `original` into `modified` (both JSON objects). */
export function createMergePatch(original: JsonObject, modified: JsonObject): JsonObject {
  const patch: JsonObject = {}
  for (const key of Object.keys(original)) {
    if (!(key in modified)) patch[key] = null
  }
  for (const [key, value] of Object.entries(modified)) {
    const before = original[key]
    if (jsonEqual(before, value)) continue
    patch[key] = isPlainObject(before) && isPlainObject(value) ? createMergePatch(before, value) : value
  }
  return patch
}

/** Applies a merge patch to a JSON value and returns the result; neither input is mutated. */
export function applyMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isPlainObject(patch)) return patch
  const result: JsonObject = isPlainObject(target) ? { ...target } : {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key]
    else result[key] = applyMergePatch(result[key], value)
  }
  return result
}

/** A merge patch from `original` to whatever object is patched (controller-runtime's `MergeFrom`). */
export function mergeFrom(original: object, opts: MergeFromOptions = {}): Patch {
  const base = toJson(original) as JsonObject
  return {
    type: 'merge',
    data(obj: object): JsonObject {
      const patch = createMergePatch(base, toJson(obj) as JsonObject)
      if (opts.optimisticLock) {
        const rv = (base.metadata as JsonObject | undefined)?.resourceVersion ?? null
        const metadata = isPlainObject(patch.metadata) ? patch.metadata : {}
        patch.metadata = { ...metadata, resourceVersion: rv }
      }
      return patch
    },
  }
}

/** A merge patch with a fixed body (controller-runtime's `RawPatch(types.MergePatchType, data)`). */
export function mergePatch(data: JsonObject): Patch {
  const body = toJson(data) as JsonObject
  return { type: 'merge', data: () => structuredClone(body) }
}

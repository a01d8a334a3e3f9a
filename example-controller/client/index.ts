/**
 * A controller-runtime-style fake client for the example controller.
 *
 * Limitations (as controller-runtime's fake client, plus what this small port leaves out):
 * - No garbage collection: deleting an owner leaves its dependents (ownerReferences are not followed).
 * - No field selectors and no label selector expressions: `list` filters by namespace and `matchLabels`.
 * - No server-side apply, JSON patch or strategic merge patch: `patch` takes JSON merge patches (RFC 7386).
 * - No watches, no dry-run, no subresources other than `status`.
 * - No server-set fields: uid, creationTimestamp and generation are what the caller wrote.
 * - No validation or defaulting of specs (Scheme defaulting functions are not called on writes).
 * - resourceVersions are per object, not a cluster-wide counter.
 *
 * The trap (kept on purpose, it is what this repository exists to catch): a client built without a
 * scheme uses the shared `defaultScheme`, and listing an unregistered kind as unstructured registers
 * `<Kind>List` in the client's scheme. A scheme shared by tests is therefore shared mutable state, as in
 * Cluster API #11722. Give every test its own scheme.
 */
export { FakeClientBuilder, newFakeClient } from './builder.ts'
export type { FakeClientDeps } from './builder.ts'
export { FakeClient, GenerateNameAttempts, InitialResourceVersion, formatTimestamp, matchesLabels } from './client.ts'
export type { FakeClientConfig } from './client.ts'
export { defaultScheme } from './default-scheme.ts'
export {
  AlreadyExistsError,
  BadRequestError,
  ConflictError,
  InvalidError,
  NotFoundError,
  StatusError,
  isAlreadyExists,
  isBadRequest,
  isConflict,
  isInvalid,
  isNotFound,
} from './errors.ts'
export type { StatusDetails, StatusReason } from './errors.ts'
export { InterceptingClient } from './interceptors.ts'
export type { Interceptors } from './interceptors.ts'
export { applyMergePatch, createMergePatch, mergeFrom, mergePatch, toJson } from './patch.ts'
export type { JsonObject, JsonValue, MergeFromOptions, Patch, PatchType } from './patch.ts'
export {
  MaxGeneratedNamePrefixLength,
  MaxNameLength,
  NameSuffixAlphabet,
  RandomSuffixLength,
  generateName,
  randomString,
  seededRandom,
} from './random.ts'
export type { Random } from './random.ts'
export { groupKind, groupResource, guessResource } from './resources.ts'
export { ObjectStore, compareByNamespaceThenName } from './store.ts'
export type { StoredObject } from './store.ts'
export type { Client, DeleteOptions, ListOptions, ObjectKey, SubResourceWriter } from './types.ts'

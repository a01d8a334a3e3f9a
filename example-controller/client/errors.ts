/**
 * The API errors the fake client returns, with the reason and HTTP code the API server would give. Callers
 * branch on them with the `isX` helpers, as controllers do with apimachinery's `apierrors.IsNotFound`.
 */

/** Identifies the object an error is about: its resource (`machines.cluster.x-k8s.io`) and name. */
export interface StatusDetails {
  group: string
  kind: string
  name: string
}

/** The reasons of the errors below (apimachinery's `metav1.StatusReason`). */
export type StatusReason = 'NotFound' | 'Conflict' | 'AlreadyExists' | 'Invalid' | 'BadRequest'

/** An error the API server would answer with a Status object. */
export class StatusError extends Error {
  override name = 'StatusError'
  constructor(
    readonly reason: StatusReason,
    readonly code: number,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message)
  }
}

/** The object does not exist (404). */
export class NotFoundError extends StatusError {
  override name = 'NotFoundError'
  constructor(resource: string, name: string, details?: StatusDetails) {
    super('NotFound', 404, `${resource} "${name}" not found`, details)
  }
}

/** The write was based on a stale or missing resourceVersion (409). */
export class ConflictError extends StatusError {
  override name = 'ConflictError'
  constructor(resource: string, name: string, why: string, details?: StatusDetails) {
    super('Conflict', 409, `Operation cannot be fulfilled on ${resource} "${name}": ${why}`, details)
  }
}

/** An object with the same name already exists (409). */
export class AlreadyExistsError extends StatusError {
  override name = 'AlreadyExistsError'
  constructor(resource: string, name: string, details?: StatusDetails) {
    super('AlreadyExists', 409, `${resource} "${name}" already exists`, details)
  }
}

/** The object is invalid, e.g. it has no name (422). */
export class InvalidError extends StatusError {
  override name = 'InvalidError'
  constructor(kind: string, name: string, why: string, details?: StatusDetails) {
    super('Invalid', 422, `${kind} "${name}" is invalid: ${why}`, details)
  }
}

/** The request itself is malformed, e.g. a create with a resourceVersion (400). */
export class BadRequestError extends StatusError {
  override name = 'BadRequestError'
  constructor(message: string, details?: StatusDetails) {
    super('BadRequest', 400, message, details)
  }
}

function hasReason(err: unknown, reason: StatusReason): boolean {
  return err instanceof StatusError && err.reason === reason
}

/** True for a NotFound error. */
export function isNotFound(err: unknown): err is NotFoundError {
  return hasReason(err, 'NotFound')
}

/** True for a Conflict error. */
export function isConflict(err: unknown): err is ConflictError {
  return hasReason(err, 'Conflict')
}

/** True for an AlreadyExists error. */
export function isAlreadyExists(err: unknown): err is AlreadyExistsError {
  return hasReason(err, 'AlreadyExists')
}

/** True for an Invalid error. */
export function isInvalid(err: unknown): err is InvalidError {
  return hasReason(err, 'Invalid')
}

/** True for a BadRequest error. */
export function isBadRequest(err: unknown): err is BadRequestError {
  return hasReason(err, 'BadRequest')
}

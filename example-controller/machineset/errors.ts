/**
 * Error wrapping and aggregation in the style of `errors.Wrap` and `kerrors.NewAggregate`: the reconciler runs every
 * phase even after one fails and reports all failures together.
 */

/**
 * Returns an error whose message is `<message>: <cause message>`, keeping the original as `cause` so callers can
 * still ask `isNotFound(err.cause)`.
 *
 * @example
 * throw wrapError(err, 'failed to list machines')
 */
export function wrapError(cause: unknown, message: string): Error {
  const causeMessage = cause instanceof Error ? cause.message : String(cause)
  return new Error(`${message}: ${causeMessage}`, { cause })
}

/** Several errors reported as one; the message is the single message, or `[a, b, …]` like `kerrors.Aggregate`. */
export class ReconcileAggregateError extends AggregateError {
  constructor(errors: readonly Error[]) {
    super(errors, errors.length === 1 ? (errors[0] as Error).message : `[${errors.map((e) => e.message).join(', ')}]`)
    this.name = 'ReconcileAggregateError'
  }
}

/**
 * Returns undefined for no errors, else an aggregate of them (nested aggregates are flattened, undefined entries dropped).
 *
 * @example
 * const err = aggregate([phaseError, patchError]); if (err) throw err
 */
export function aggregate(errors: ReadonlyArray<unknown>): ReconcileAggregateError | undefined {
  const flat: Error[] = []
  for (const err of errors) {
    if (err === undefined || err === null) continue
    if (err instanceof ReconcileAggregateError) flat.push(...(err.errors as Error[]))
    else flat.push(err instanceof Error ? err : new Error(String(err)))
  }
  return flat.length === 0 ? undefined : new ReconcileAggregateError(flat)
}

/** Converts a thrown value to an Error. */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value))
}

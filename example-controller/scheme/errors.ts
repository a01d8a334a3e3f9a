/** Errors a Scheme throws; each names the scheme so a message tells which of several schemes was asked. */
import { gvkToString, type GroupVersionKind } from '../api/groupversion.ts'

/** Base class of the errors a Scheme throws. */
export class SchemeError extends Error {
  override name = 'SchemeError'
}

/** A GroupVersionKind or a type that the scheme does not know. */
export class NotRegisteredError extends SchemeError {
  override name = 'NotRegisteredError'
  constructor(
    readonly schemeName: string,
    readonly what: { gvk: GroupVersionKind } | { typeName: string },
  ) {
    super(
      'gvk' in what
        ? `no kind "${what.gvk.kind}" is registered for version "${formatGv(what.gvk)}" in scheme "${schemeName}"`
        : `no kind is registered for the type ${what.typeName} in scheme "${schemeName}"`,
    )
  }
}

/** A registration that conflicts with an existing one, or is malformed (e.g. an empty version). */
export class RegistrationError extends SchemeError {
  override name = 'RegistrationError'
}

/** Describes a GroupVersionKind for messages. */
export function describeGvk(gvk: GroupVersionKind): string {
  return gvkToString(gvk)
}

function formatGv(gvk: GroupVersionKind): string {
  return gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`
}

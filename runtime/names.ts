/**
 * Names shared by the code the plugin generates and the runtime that code calls.
 *
 * This file lives on the runtime side (the plugin imports it, never the reverse) and imports nothing, so both halves can
 * use it without pulling each other in.
 */

/** The prefix of every identifier the transform injects; user code is not expected to use names starting with it. */
export const GENERATED_PREFIX = '__vi_iso'

/** The local name of the imported runtime entry in generated code. */
export const RUNTIME_LOCAL = `${GENERATED_PREFIX}_runtime`

/** The local name of the per-file handle returned by `runtime.file({...})` in generated code. */
export const FILE_LOCAL = `${GENERATED_PREFIX}_file`

/** The generated name that holds the per-test accessor of the marked binding `name`. */
export function bindingLocal(name: string): string {
  return `${GENERATED_PREFIX}_b_${name}`
}

/** The generated local name under which the factory of resource `name` is imported. */
export function resourceLocal(name: string): string {
  return `${GENERATED_PREFIX}_r_${name}`
}

/**
 * Why an export that is not a function or class cannot be a resource, and the fix: the end of the message the plugin
 * gives at start-up and the runtime at the first read, whichever finds it.
 */
export const NOT_A_FACTORY =
  "not a factory function or class: the plugin makes each test's instance by calling factory(deps), or new Factory(deps) " +
  'for a class. Fix: point the resource at a function that returns a fresh instance, or at a class.'

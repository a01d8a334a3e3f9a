/**
 * `vitest-isolation/runtime`: the one entry generated code imports, plus the test-time API for users.
 */
import { instrumentFactory } from './factory.ts'
import { openFile, type IncludedFile } from './included-file.ts'
import { addModuleState, moduleStart } from './journaling.ts'
import type { FileMeta } from './types.ts'

/** The object generated code calls; not meant to be used by hand. */
export interface IsolationRuntime {
  /** Opens the scope of an included file (called once, as the first statement of its generated code). */
  file(meta: FileMeta): IncludedFile
  /** Wraps the declared factory export of resource `resource` so its instances are tracked. */
  factory<F>(resource: string, fn: F): F
  /** Registers a module's top-level bindings (`[name, line, getter]`) with the state journal, as its evaluation ends. */
  state(file: string, roots: readonly (readonly [string, number, () => unknown])[]): void
  /** A test file's imports are evaluated and its own code starts. */
  imported(file: string): void
}

/**
 * The runtime object the transform's generated code imports.
 *
 * @example
 * const __vi_iso_file = __vi_iso_runtime.file({ file: 'tests/a.test.ts', isolateAll: false, resources: {} })
 */
export const __vi_iso_runtime: IsolationRuntime = Object.freeze({
  file(meta: FileMeta): IncludedFile {
    moduleStart(meta.file)
    return openFile(meta)
  },
  factory: instrumentFactory,
  state: addModuleState,
  imported: moduleStart,
})

export { currentTest, useResource } from './current.ts'
export { IsolationLeakError, IsolationScopeError } from './errors.ts'
export type { IncludedFile } from './included-file.ts'
export type {
  BindingCell,
  BindingKind,
  FileMeta,
  FileResource,
  IsolationContext,
  ResourceDeps,
  ResourceFactory,
  TestInfo,
} from './types.ts'

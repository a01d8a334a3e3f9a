/**
 * Public types of the runtime: what resource factories receive, what generated code passes to `file()`, and the helper
 * type users declare their resources on `TestContext` with.
 */

/**
 * The test a resource instance is created for, as passed to factories in `deps.test`.
 *
 * @example
 * export function newScheme({ test }: ResourceDeps) { return new Scheme(`scheme of ${test.fullName}`) }
 */
export interface TestInfo {
  /** Vitest's task id of the test. */
  id: string
  /** The test's own name. */
  name: string
  /** Vitest full name, `suite > test`. */
  fullName: string
  /** The test file, relative to the project root, `/` separators. */
  file: string
}

/**
 * The argument of a resource factory: the current test's instances of the resources named in `uses`, and `test`.
 *
 * @example
 * export function newFakeClient({ scheme }: ResourceDeps<{ scheme: Scheme }>) { return new FakeClient(scheme) }
 */
export type ResourceDeps<Uses extends object = Record<never, never>> = Uses & { test: TestInfo }

/**
 * A declared resource's factory as the generated code registers it; it may return a promise.
 *
 * @example
 * const factory: ResourceFactory = (deps) => new Scheme()
 */
export type ResourceFactory = (deps: ResourceDeps<Record<string, unknown>>) => unknown

/** One declared resource, as the generated code passes it to `file()`. */
export interface FileResource {
  factory: ResourceFactory
  /** The names of the resources this factory receives in its `deps`. */
  uses: readonly string[]
}

/** What the generated code of one included file passes to `__vi_iso_runtime.file()`. */
export interface FileMeta {
  /** The file, relative to the Vitest project root, `/` separators. */
  file: string
  /** `true` for a file marker (`@vitest-isolate`) or `mode: 'all'`: every test of the file is isolated. */
  isolateAll: boolean
  /** Every resource declared in the plugin options, by name. */
  resources: Readonly<Record<string, FileResource>>
}

/** The declaration kind of a marked binding. */
export type BindingKind = 'const' | 'let'

/**
 * The per-test value of a marked binding: every reference to the binding in the file becomes `.value`.
 *
 * @example
 * const __vi_iso_b_scheme: BindingCell<Scheme> = __vi_iso_file.binding('scheme', 'const', 2, 1, () => newScheme())
 */
export interface BindingCell<T = unknown> {
  value: T
}

/**
 * Turns a map of resource names to factories (or to instance types) into the properties an isolated test's context gets.
 *
 * @example
 * declare module 'vitest' {
 *   interface TestContext extends IsolationContext<{ scheme: typeof newScheme; client: typeof newFakeClient }> {}
 * }
 */
export type IsolationContext<Resources extends object> = {
  readonly [K in keyof Resources]: Resources[K] extends (...args: any) => infer R ? Awaited<R> : Resources[K]
}

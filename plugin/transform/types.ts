/**
 * Public types of the pure transform, and the loose node shape its walkers use.
 */
import type { SourceMap } from 'magic-string'

/** A declared resource after the plugin resolved its module through Vite. */
export interface ResolvedResource {
  /** The resource's name as declared in the plugin options (a valid identifier). */
  name: string
  /** The absolute module id of the factory's module. */
  id: string
  /** The factory's export: `'default'` or an export name. */
  export: string
  /** Names of the resources whose current-test instances the factory receives. */
  uses: string[]
}

/** Options of {@link transformTestFile}. */
export interface TransformOptions {
  /** Vitest's root; the `file` in the generated metadata is relative to it, with `/` separators. */
  root: string
  /** `'all'` isolates every test of the file as if the file were marked. */
  mode: 'marked' | 'all'
  /** The import specifier of the runtime entry that generated code imports. */
  runtimeId: string
  /** Every declared resource; each gets one import in the prologue. */
  resources: readonly ResolvedResource[]
}

/** The transformed code and its high-resolution source map. */
export interface TransformResult {
  code: string
  /** `null` when no original code moved (only code appended at the end): Vite keeps the mappings as they are. */
  map: SourceMap | null
  /** The marked bindings, re-bound under other names (not the module's own state any more). */
  rebound?: ReadonlySet<string>
  /** The prologue (the runtime's `file()` call) is the file's first statement. */
  opens?: boolean
}

/**
 * The shape the walkers use for AST nodes: oxc-parser's ESTree nodes, read generically through `visitorKeys`.
 * The typed unions of `@oxc-project/types` are too narrow for a generic walk, so only the span is typed.
 */
export type AnyNode = { type: string; start: number; end: number } & Record<string, any>

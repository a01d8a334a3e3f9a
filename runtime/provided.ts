/**
 * The options the plugin hands to test workers through `project.provide()`; the runtime reads them with `inject()`.
 *
 * This file imports nothing, so the plugin (build time) can import the key and the type without loading test-time code.
 * It also types the key for Vitest's `provide()`/`inject()`.
 */

/** The key under which the plugin provides {@link ProvidedOptions} to workers. */
export const PROVIDE_KEY = 'vitest-isolation'

/** The resolved options as test workers see them (structured-clone safe). */
export interface ProvidedOptions {
  /** The plugin's package version. */
  version: string
  /** The Vitest project root (absolute, `/` separators): places in messages are relative to it. */
  root: string
  /** The config file that declared the options, relative to `root` (or absolute outside it); `null` for inline configs. */
  configFile: string | null
  mode: 'marked' | 'all'
  leaks: 'warn' | 'error' | 'off'
  retention: 'off' | 'file' | 'test'
  report: string | false
  journal: 'on' | 'verbose' | 'off'
  /** Globals the journal leaves out: names, `process.env.NAME`, or patterns as `{ source, flags }`. */
  ignoreGlobals: (string | { source: string; flags: string })[]
  /** Vitest restores mocks or unstubs globals or envs before each test (`restoreMocks`, `mockReset`, `unstub*`). */
  restores: boolean
  /** Vitest's `unstubGlobals`/`unstubEnvs` of the project: stubs are undone before a test's globals are compared. */
  unstubGlobals: boolean
  unstubEnvs: boolean
  /** Declared resources: name → what its factory receives. */
  resources: Record<string, { module: string; export: string; uses: string[] }>
}

declare module 'vitest' {
  interface ProvidedContext {
    'vitest-isolation': ProvidedOptions
  }
}

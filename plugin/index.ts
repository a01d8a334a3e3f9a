/**
 * `vitest-isolation`: the Vite plugin. It is thin on purpose — validate options, filter files, call the pure transform,
 * return `{ code, map }`; the Vitest wiring lives in `vitest.ts`, the rewriting in `transform/`.
 */
import { dirname, join } from 'node:path'
import { createFilter, type Plugin, type ResolvedConfig } from 'vite'
import { configDefaults } from 'vitest/config'
import { normalizeOptions, type IsolationOptions, type NormalizedOptions } from './options.ts'
import { cleanId, resolveResources } from './resources.ts'
import { hasMarker, instrumentFactories, MarkerError, TransformSyntaxError, transformTestFile } from './transform/index.ts'
import MagicString from 'magic-string'
import { insertPrologue } from './transform/prologue.ts'
import { moduleStartCall, startCallOffset, stateEpilogue } from './transform/state.ts'
import { result as mappedResult } from './transform/transform.ts'
import type { ResolvedResource, TransformOptions, TransformResult } from './transform/types.ts'
import { configureIsolation, displayPath, runtimeFile } from './vitest.ts'

export type { IsolationOptions, ResourceSpec } from './options.ts'
export { IsolationOptionsError } from './options.ts'
export type { BindingCell, IsolationContext, ResourceDeps, TestInfo } from '../runtime/types.ts'

/** The plugin's name, as Vite and Vitest show it. */
const NAME = 'vitest-isolation'

type Filter = (id: string) => boolean

/**
 * Creates the plugin that gives each test fresh instances of declared resources and `@isolate`-marked bindings.
 *
 * @example
 * export default defineConfig({
 *   plugins: [isolation({ resources: { scheme: './example-controller/scheme/index.ts#newScheme' } })],
 *   test: { isolate: false },
 * })
 */
export function isolation(options: IsolationOptions = {}): Plugin {
  let config: ResolvedConfig | undefined
  let normalized: NormalizedOptions | undefined
  let configFile = 'the inline Vitest config'
  let resources: Promise<ResolvedResource[]> | undefined
  let resolved: ResolvedResource[] = []
  let byModule = new Map<string, ResolvedResource[]>()
  // By project root: one plugin instance can serve several projects (`projects` with `extends: true`).
  const filters = new Map<string, Filter>()
  const runtimeId = runtimeFile('index')
  const runtimeDir = dirname(runtimeId)
  // The journal's additions to the project's modules are made only under Vitest (a plain Vite build never gets them).
  let journal = false

  const requireOptions = (): NormalizedOptions => {
    if (!normalized) throw new Error(`[${NAME}] The plugin was used before Vite resolved its config.`)
    return normalized
  }

  const ensureResources = (resolve: (specifier: string, importer: string) => Promise<string | null>) => {
    resources ??= (async () => {
      const root = config?.root ?? process.cwd()
      const importer = config?.configFile ?? join(root, 'vitest.config.ts')
      const { resources: declared, problems } = requireOptions()
      resolved = await resolveResources(declared, resolve, importer, configFile, problems)
      byModule = new Map()
      for (const resource of resolved) byModule.set(resource.id, [...(byModule.get(resource.id) ?? []), resource])
      return resolved
    })()
    return resources
  }

  const setFilter = (root: string, include: string[], exclude: string[], dir: string): void => {
    const own = requireOptions()
    filters.set(root, createFilter(own.include ?? include, own.exclude ?? exclude, { resolve: dir }))
  }

  return {
    name: NAME,
    enforce: 'pre',

    config() {
      // Vitest re-runs a setup file before every test file (also with `isolate: false`) only when it inlines it, and it
      // decides which setup files to inline when it creates the project — before configureVitest. From the packed
      // package the setup file is in node_modules, so added only later it would be imported natively, once per worker,
      // and its aroundEach would wrap the first file's tests only. configureVitest moves it first.
      return { test: { setupFiles: [runtimeFile('setup')] } }
    },

    configResolved(resolvedConfig) {
      config = resolvedConfig
      configFile = resolvedConfig.configFile ? displayPath(resolvedConfig.configFile, resolvedConfig.root) : configFile
      normalized = normalizeOptions(options, configFile)
      const test = (resolvedConfig as { test?: { include?: string[]; exclude?: string[]; dir?: string } }).test
      // Vitest's resolved include/exclude replace these in configureVitest; until then, its defaults apply.
      setFilter(
        resolvedConfig.root,
        test?.include ?? configDefaults.include,
        test?.exclude ?? configDefaults.exclude,
        test?.dir ?? resolvedConfig.root,
      )
    },

    configureVitest(context) {
      journal = requireOptions().journal !== 'off'
      return configureIsolation(context, {
        options: requireOptions,
        configFile: () => (config?.configFile ? configFile : null),
        resolveResources: ensureResources,
        setFilter,
      })
    },

    async transform(code, id) {
      if (id.startsWith('\0')) return null
      const file = cleanId(id)
      const resolveWithVite = async (specifier: string, importer: string) => (await this.resolve(specifier, importer))?.id ?? null
      // Normally resolved in configureVitest already; without Vitest, the first transform resolves them.
      if (!resources && requireOptions().resources.length > 0) await ensureResources(resolveWithVite)
      const own = requireOptions()
      const root = (this as { environment?: { config: { root: string } } }).environment?.config.root ?? config?.root ?? process.cwd()
      const isTest = (filters.get(root) ?? filters.values().next().value)?.(file) ?? false
      const moduleFactories = byModule.get(file)
      const transformOptions: TransformOptions = { root, mode: own.mode, runtimeId, resources: resolved }
      // The journal follows the top-level state of the project's own modules (test files included), not packages'.
      const follow = journal && isProjectModule(file, root, runtimeDir)
      const shownFile = displayPath(file, root)
      const withState = (result: TransformResult | null, test: boolean): TransformResult | null => {
        const epilogue = follow ? stateEpilogue(code, shownFile, runtimeId, test, result?.rebound) : null
        if (epilogue === null) return result && { code: result.code, map: result.map }
        // A test file's own code starts with the journal's checkpoint, unless the prologue's `file()` call does.
        if (!test || result?.opens === true) return { code: (result?.code ?? code) + epilogue, map: result?.map ?? null }
        // Whatever came before is only appended (its map is null): the appended part goes after the original code again.
        const appended = (result?.code ?? code).slice(code.length) + epilogue
        const place = startCallOffset(code)
        if (place !== undefined) {
          const { offset, separator } = place
          return { code: code.slice(0, offset) + separator + moduleStartCall(shownFile) + code.slice(offset) + appended, map: null }
        }
        const s = new MagicString(code)
        insertPrologue(code, s, moduleStartCall(shownFile))
        s.append(appended)
        return mappedResult(s, file)
      }
      if (!isTest && !moduleFactories) {
        const problem = markersOutsideInclude(code, file, transformOptions)
        return problem ? this.error({ ...problem, id: file, plugin: NAME }) : withState(null, false)
      }
      if (isTest && moduleFactories) {
        // The factory's instrumentation and the test file's transform (markers, `ctx`, the journal's start call) each
        // rewrite the file with a source map of their own; one of them would be lost, silently.
        const names = moduleFactories.map((r) => `"${r.name}"`).join(', ')
        return this.error({
          message:
            `[vitest-isolation] ${shownFile} is a test file and also the module of resource ${names} (${configFile}): the ` +
            'plugin cannot both instrument its factory and give its tests their markers and ctx resources. Fix: move the ' +
            'factory to a module of its own and point the resource there.',
          id: file,
          plugin: NAME,
        })
      }
      try {
        if (moduleFactories) {
          const result = instrumentFactories(code, file, moduleFactories, transformOptions)
          if (result) return withState(result, false)
        }
        if (!isTest) return withState(null, false)
        const result = transformTestFile(code, file, transformOptions)
        return withState(result, true)
      } catch (error) {
        // A file that does not parse is left as it is: the next plugin (esbuild, oxc) reports the syntax error itself,
        // with its own message and frame, instead of a marker error about it.
        if (error instanceof TransformSyntaxError) return null
        // The message already holds every problem's position and code frame. Vitest prints an error's `frame` after its
        // message, and Vite makes one from a `loc` when no frame is given: passing either would print the frame twice.
        if (error instanceof MarkerError) return this.error({ message: error.message, id: file, plugin: NAME })
        throw error
      }
    },
  }
}

const SOURCE = /\.[cm]?[jt]sx?$/

/** A source module of the project: under its root, not a package's, not a declaration file, not this plugin's runtime. */
function isProjectModule(file: string, root: string, runtimeDir: string): boolean {
  return (
    SOURCE.test(file) &&
    !file.endsWith('.d.ts') &&
    file.startsWith(`${root}/`) &&
    !file.includes('/node_modules/') &&
    !file.startsWith(`${runtimeDir}/`)
  )
}
const MARKER_LINE = /^\s*(?:\/\/|\/\*+|\*)\s*@(?:vitest-)?isolate\s*(?:\*\/)?\s*$/

/**
 * A marker in a source file the plugin does not include would be silently ignored; the plugin can tell when Vite loads
 * such a file through it, and reports it. Only real markers count: the transform's reading decides (strings and
 * near-misses in doc comments of files that are not ours to check do not).
 */
function markersOutsideInclude(
  code: string,
  file: string,
  options: TransformOptions,
): { message: string; loc?: { file: string; line: number; column: number } } | undefined {
  if (!hasMarker(code) || !SOURCE.test(file) || file.includes('/node_modules/')) return undefined
  let found: boolean
  try {
    found = transformTestFile(code, file, { ...options, mode: 'marked', resources: [] }) !== null
  } catch (error) {
    if (!(error instanceof MarkerError)) return undefined
    found = true
  }
  if (!found) return undefined
  const shown = displayPath(file, options.root)
  const lines = code.split('\n')
  const index = lines.findIndex((line) => MARKER_LINE.test(line))
  const where = index >= 0 ? `${shown}:${index + 1}:${lines[index].search(/\S/) + 1}` : shown
  return {
    message:
      `[vitest-isolation] ${where} has isolation markers, but the plugin does not include this file, so they would be ` +
      'ignored. Markers work in the files the plugin includes (by default Vitest\'s test.include). Fix: add the file to ' +
      "the plugin's include option (or Vitest's test.include), or remove the markers.",
    loc: index >= 0 ? { file, line: index + 1, column: lines[index].search(/\S/) } : undefined,
  }
}

export default isolation

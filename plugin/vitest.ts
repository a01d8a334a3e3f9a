/**
 * The plugin's Vitest integration (`configureVitest`): it resolves the resource modules through the project's Vite
 * server, puts the runtime's setup file first in `setupFiles`, provides the resolved options to workers, adds the
 * findings reporter (once per Vitest instance), and keys Vitest's transform cache on the plugin version and options.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, extname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { VitestPluginContext } from 'vitest/node'
import { PROVIDE_KEY, type ProvidedOptions } from '../runtime/provided.ts'
import type { NormalizedOptions } from './options.ts'
import { IsolationReporter } from './reporter.ts'
import type { ResolvedResource } from './transform/types.ts'

// `.ts` when running from the repository's sources, `.js` from `dist/` in the packed package.
const OWN_EXTENSION = extname(fileURLToPath(import.meta.url))

/** The absolute path of a runtime entry (`index` or `setup`) next to this plugin, in the same form (source or built). */
export function runtimeFile(name: 'index' | 'setup'): string {
  return fileURLToPath(new URL(`../runtime/${name}${OWN_EXTENSION}`, import.meta.url))
}

/** This package's version, read from the nearest `package.json` named `vitest-isolation` above this file. */
export const PACKAGE_VERSION: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const file = join(dir, 'package.json')
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'vitest-isolation' && pkg.version) return pkg.version
    }
    const parent = dirname(dir)
    if (parent === dir) return '0.0.0'
    dir = parent
  }
})()

/** What `configureVitest` needs from the plugin instance. */
export interface IsolationHost {
  /** The validated options (set in `configResolved`). */
  options(): NormalizedOptions
  /** The config file, as messages show it (relative to the project root), or `null` for an inline config. */
  configFile(): string | null
  /** Resolves the resource modules with `resolve` (once) and returns them. */
  resolveResources(resolve: (specifier: string, importer: string) => Promise<string | null>): Promise<ResolvedResource[]>
  /** Sets which files the transform reads in the project at `root`, from its resolved `include`/`exclude`. */
  setFilter(root: string, include: string[], exclude: string[], dir: string): void
}

/** The transform cache key: it changes with the plugin version, the options and the runtime's location. */
export function cacheKey(options: NormalizedOptions, resources: ResolvedResource[]): string {
  const keyed = {
    mode: options.mode,
    include: options.include,
    exclude: options.exclude,
    leaks: options.leaks,
    retention: options.retention,
    journal: options.journal,
    resources: resources.map((r) => [r.name, r.id, r.export, r.uses]),
    runtime: runtimeFile('index'),
  }
  return `vitest-isolation@${PACKAGE_VERSION}:${JSON.stringify(keyed)}`
}

type CacheKeyContext = VitestPluginContext & {
  // Vitest 5 drops the `experimental_` prefix.
  defineCacheKeyGenerator?: VitestPluginContext['experimental_defineCacheKeyGenerator']
}

// The plugin's reporter of each Vitest instance (one, however many projects use the plugin) and the projects it reports.
const reporting = new WeakMap<object, Set<string>>()

/** The `configureVitest` hook of the plugin. */
export async function configureIsolation(context: VitestPluginContext, host: IsolationHost): Promise<void> {
  const { project } = context
  const server = project.vite
  const environment = server.environments.ssr ?? Object.values(server.environments)[0]
  const resources = await host.resolveResources(async (specifier, importer) => {
    const resolved = await environment.pluginContainer.resolveId(specifier, importer)
    return resolved?.id ?? null
  })
  const config = project.config
  if (config.browser?.enabled) {
    // The runtime tracks the current test with node:async_hooks, which browsers do not have.
    context.vitest.logger.warn(
      `[vitest-isolation] Project "${project.name}" runs in the browser, which the plugin does not support; it is left as is.`,
    )
    return
  }
  host.setFilter(server.config.root, config.include, config.exclude, config.dir ?? config.root)

  // First, so that the isolation hook wraps every other aroundEach (also those of other setup files); the plugin's
  // config hook already added it (last, and once per config that includes the plugin), so move it, once.
  const setup = runtimeFile('setup')
  for (let i = config.setupFiles.indexOf(setup); i >= 0; i = config.setupFiles.indexOf(setup)) config.setupFiles.splice(i, 1)
  config.setupFiles.unshift(setup)

  const options = host.options()
  let projects = reporting.get(context.vitest)
  if (projects === undefined) {
    projects = new Set()
    reporting.set(context.vitest, projects)
    // Vitest creates its reporters from the root config after every project's configureVitest, so an instance added
    // here runs with the others — also for --merge-reports, where it rebuilds the report from the merged blobs' meta.
    const reporter = new IsolationReporter({ report: options.report, leaks: options.leaks, journal: options.journal, version: PACKAGE_VERSION, projects })
    context.vitest.config.reporters.push(reporter)
  }
  projects.add(project.name)
  const provided: ProvidedOptions = {
    version: PACKAGE_VERSION,
    root: config.root.replaceAll('\\', '/'),
    configFile: host.configFile(),
    mode: options.mode,
    leaks: options.leaks,
    retention: options.retention,
    report: options.report,
    journal: options.journal,
    ignoreGlobals: options.ignoreGlobals,
    restores: Boolean(config.restoreMocks || config.mockReset || config.unstubGlobals || config.unstubEnvs),
    unstubGlobals: config.unstubGlobals ?? false,
    unstubEnvs: config.unstubEnvs ?? false,
    resources: Object.fromEntries(
      options.resources.map((r) => [r.name, { module: r.module, export: r.export, uses: [...r.uses] }]),
    ),
  }
  project.provide(PROVIDE_KEY, provided)

  const key = cacheKey(options, resources)
  const define = (context as CacheKeyContext).defineCacheKeyGenerator ?? context.experimental_defineCacheKeyGenerator
  define?.(() => key)
}

/** `file` relative to `root` when inside it (with `/`), else absolute: how messages name the config file. */
export function displayPath(file: string, root: string): string {
  const rel = relative(root, file)
  return (rel.startsWith('..') ? file : rel).replaceAll('\\', '/')
}

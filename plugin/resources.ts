/**
 * Resolving declared resources at start-up: each module is resolved as Vite resolves an import from the config file, its
 * export is checked, and re-exports are followed to the module that defines the factory (the one to instrument).
 */
import { readFile } from 'node:fs/promises'
import { dirname, relative } from 'node:path'
import { parseSync } from 'oxc-parser'
import { IsolationOptionsError, type ResourceDeclaration, type StartupProblems } from './options.ts'
import { NOT_A_FACTORY } from '../runtime/names.ts'
import { notCallableExports } from './export-kinds.ts'
import type { ResolvedResource } from './transform/types.ts'

/** Resolves a specifier as an import from `importer`; `null` when it cannot be resolved. */
export type ResolveFn = (specifier: string, importer: string) => Promise<string | null>

/**
 * Resolves every resource's module as Vite resolves an import from `importer` (the config file), checks that it has the
 * declared export and that the export is a function or class as far as the source shows, and follows re-exports
 * (`export { x } from`, `export *`) to the module that defines the factory, which is the one the transform instruments.
 * Throws one {@link IsolationOptionsError} for all problems, those `normalizeOptions` found in the options included.
 */
export async function resolveResources(
  resources: readonly ResourceDeclaration[],
  resolve: ResolveFn,
  importer: string,
  configFile: string,
  /** The options' own problems (`normalizeOptions`): this adds each resource's module problems next to its others. */
  problems: StartupProblems,
): Promise<ResolvedResource[]> {
  // The checks finish in any order; the message lists them in declaration order.
  const found: Array<string | undefined> = resources.map(() => undefined)
  const modules = new Map<string, Promise<ModuleExports | undefined>>()
  const read = (file: string) => {
    if (!modules.has(file)) modules.set(file, readExports(file))
    return modules.get(file)!
  }
  const resolved = await Promise.all(
    resources.map(async (resource, index): Promise<ResolvedResource | undefined> => {
      const id = await resolve(resource.module, importer).catch(() => null)
      if (id === null) {
        found[index] =
          `cannot resolve the module "${resource.module}" from ${configFile}. ` +
            "Check the path (relative to the config file's folder), the alias, or that the package is installed."
        return undefined
      }
      const file = cleanId(id)
      const located = await locateExport(file, resource.export, resolve, read, new Set())
      const fromConfig = (path: string) => relative(dirname(importer), path).replaceAll('\\', '/')
      // An alias or package name is shown with the file it resolved to.
      const shown = resource.module.startsWith('.') ? '' : ` (${fromConfig(file)})`
      if (located.kind === 'missing') {
        const listed = (await exportedNames(file, resolve, read, new Set())).sort()
        found[index] =
          `the module "${resource.module}"${shown} has no export "${resource.export}"` +
            (listed.length ? ` (it exports: ${listed.join(', ')}).` : ' (it has no exports).') +
            ' Fix the export name after "#" (or in "export"), or export the factory from the module.'
        return undefined
      }
      if (located.kind === 'found' && located.found !== undefined) {
        const defined = located.file === file ? '' : ` (defined in ${fromConfig(located.file)})`
        found[index] =
          `the export "${resource.export}" of ${resource.module}${shown}${defined} is ${located.found}, ${NOT_A_FACTORY}`
        return undefined
      }
      const at = located.kind === 'found' ? located : { file, name: resource.export }
      return { name: resource.name, id: at.file, export: at.name, uses: [...resource.uses] }
    }),
  )
  resources.forEach((resource, index) => {
    if (found[index] !== undefined) problems.addFor(resource.name, found[index])
  })
  if (problems.count) throw new IsolationOptionsError(configFile, problems.list())
  return resolved as ResolvedResource[]
}

/** Drops Vite's query (`?v=…`) from a module id. */
export function cleanId(id: string): string {
  return id.replace(/[?#].*$/, '')
}

interface ExportEntry {
  /** The exported name (`default` for a default export). */
  name: string
  /** For an indirect export: the module and the name it takes there. */
  from?: { request: string; name: string }
}

interface ModuleExports {
  entries: ExportEntry[]
  /** Targets of `export * from`. */
  stars: string[]
  /** What a local export is, by exported name, where the source says it is not a function or class (`'an object'`). */
  notCallable: Map<string, string>
}

/** `found`: what the export is when the source shows it is not a function or class. */
type Located = { kind: 'found'; file: string; name: string; found?: string } | { kind: 'missing' } | { kind: 'unknown' }

const SCRIPT = /\.[cm]?[jt]sx?$/

/** The static exports of `file`; `undefined` when they cannot be known (not a script, CommonJS, unreadable). */
async function readExports(file: string): Promise<ModuleExports | undefined> {
  if (!SCRIPT.test(file) || file.startsWith('\0')) return undefined
  let source: string
  try {
    source = await readFile(file, 'utf8')
  } catch {
    return undefined
  }
  const result = parseSync(file, source)
  if (result.errors.length > 0 || !result.module.hasModuleSyntax) return undefined
  const exports: ModuleExports = { entries: [], stars: [], notCallable: notCallableExports(result.program) }
  for (const statement of result.module.staticExports) {
    for (const entry of statement.entries) {
      if (entry.isType) continue
      const exportKind = entry.exportName.kind as string
      const importKind = entry.importName.kind as string
      if (exportKind === 'None' && importKind === 'AllButDefault' && entry.moduleRequest) {
        exports.stars.push(entry.moduleRequest.value)
        continue
      }
      const name = exportKind === 'Default' ? 'default' : entry.exportName.name
      if (!name) continue
      const from =
        entry.moduleRequest && importKind === 'Name' && entry.importName.name
          ? { request: entry.moduleRequest.value, name: entry.importName.name }
          : undefined
      exports.entries.push({ name, from })
    }
  }
  return exports
}

type Reader = (file: string) => Promise<ModuleExports | undefined>

async function locateExport(file: string, name: string, resolve: ResolveFn, read: Reader, seen: Set<string>): Promise<Located> {
  const key = `${file}\0${name}`
  if (seen.has(key)) return { kind: 'missing' }
  seen.add(key)
  const exports = await read(file)
  if (!exports) return { kind: 'unknown' }
  const entry = exports.entries.find((e) => e.name === name)
  if (entry) {
    if (!entry.from) return { kind: 'found', file, name, found: exports.notCallable.get(name) }
    const target = await resolve(entry.from.request, file).catch(() => null)
    if (target === null) return { kind: 'unknown' }
    const inner = await locateExport(cleanId(target), entry.from.name, resolve, read, seen)
    // When the target cannot be read, keep this module: the transform reports what it cannot wrap there.
    return inner.kind === 'found' ? inner : { kind: 'found', file, name }
  }
  if (name === 'default') return { kind: 'missing' }
  let unknown = false
  for (const request of exports.stars) {
    const target = await resolve(request, file).catch(() => null)
    if (target === null) {
      unknown = true
      continue
    }
    const inner = await locateExport(cleanId(target), name, resolve, read, seen)
    if (inner.kind === 'found') return inner
    if (inner.kind === 'unknown') unknown = true
  }
  return unknown ? { kind: 'unknown' } : { kind: 'missing' }
}

/** Every name `file` exports (following `export *`), for the "it exports: …" hint. */
async function exportedNames(file: string, resolve: ResolveFn, read: Reader, seen: Set<string>): Promise<string[]> {
  if (seen.has(file)) return []
  seen.add(file)
  const exports = await read(file)
  if (!exports) return []
  const names = new Set(exports.entries.map((e) => e.name))
  for (const request of exports.stars) {
    const target = await resolve(request, file).catch(() => null)
    if (target === null) continue
    for (const name of await exportedNames(cleanId(target), resolve, read, seen)) if (name !== 'default') names.add(name)
  }
  return [...names]
}

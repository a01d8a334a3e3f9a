/**
 * The plugin's options: their public types and their validation at start-up. Every problem is collected and thrown as
 * one error that names the resource, the problem and the config file. (Resolving resource modules: `resources.ts`.)
 */

/**
 * A named per-test factory: the module and export to call, and the resources its instances are built from.
 *
 * @example
 * const client: ResourceSpec = { module: './example-controller/client/index.ts', export: 'newFakeClient', uses: ['scheme'] }
 */
export interface ResourceSpec {
  /** The module, resolved like an import from the config file's folder (relative path, alias, or package name). */
  module: string
  /**
   * The factory's export name.
   * @default 'default'
   */
  export?: string
  /**
   * The resources whose instances of the same test the factory receives in its `deps`.
   * @default []
   */
  uses?: string[]
}

/**
 * Options of `isolation()`; all are optional.
 *
 * @example
 * isolation({ resources: { scheme: './example-controller/scheme/index.ts#newScheme' } })
 */
export interface IsolationOptions {
  /**
   * The files the transform reads for markers (globs relative to the project root).
   * @default Vitest's `test.include`
   */
  include?: string[]
  /**
   * Files the transform never reads.
   * @default Vitest's `test.exclude`
   */
  exclude?: string[]
  /**
   * `'all'`: every test in included files is isolated as if marked.
   * @default 'marked'
   */
  mode?: 'marked' | 'all'
  /**
   * Named per-test factories: `'path#export'` or a {@link ResourceSpec}.
   * @default {}
   */
  resources?: Record<string, string | ResourceSpec>
  /**
   * What a finding does: `'warn'` reports it, `'error'` also fails the test that observed it, `'off'` tracks nothing.
   * The environment variable `VITEST_ISOLATION_LEAKS` overrides it.
   * @default 'warn'
   */
  leaks?: 'warn' | 'error' | 'off'
  /**
   * When to force a garbage collection and check that finished tests' objects were released.
   * @default 'file'
   */
  retention?: 'off' | 'file' | 'test'
  /**
   * Path of the JSON report, relative to Vitest's root; `false` for none.
   * @default false
   */
  report?: string | false
}

/** A declared resource after validation, before its module is resolved. */
export interface ResourceDeclaration {
  name: string
  /** The module specifier as written in the config. */
  module: string
  export: string
  uses: string[]
}

/** The options after validation and defaults (resource modules not yet resolved). */
export interface NormalizedOptions {
  include: string[] | undefined
  exclude: string[] | undefined
  mode: 'marked' | 'all'
  leaks: 'warn' | 'error' | 'off'
  retention: 'off' | 'file' | 'test'
  report: string | false
  resources: ResourceDeclaration[]
}

/**
 * Thrown at start-up when the options of `isolation()` are invalid; `problems` lists each one.
 *
 * @example
 * try { await createVitest('test', {}) } catch (e) { if (e instanceof IsolationOptionsError) console.error(e.problems) }
 */
export class IsolationOptionsError extends Error {
  override name = 'IsolationOptionsError'
  readonly problems: readonly string[]
  constructor(configFile: string, problems: string[]) {
    const intro = `[vitest-isolation] Invalid options of isolation() in ${configFile}`
    super(
      problems.length === 1
        ? `${intro}: ${problems[0]}`
        : `${intro} (${problems.length} problems):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    )
    this.problems = problems
  }
}

const KNOWN_OPTIONS = ['include', 'exclude', 'mode', 'resources', 'leaks', 'retention', 'report']
const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u
// Properties Vitest itself puts on the test context: a resource of that name would hide them.
const CONTEXT_BUILTINS = new Set(['task', 'signal', 'skip', 'annotate', 'onTestFailed', 'onTestFinished', 'expect'])

function oneOf<T extends string>(
  problems: string[],
  key: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
  source = `option "${key}"`,
): T {
  if (value === undefined) return fallback
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T
  problems.push(`${source} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}.`)
  return fallback
}

function globs(problems: string[], key: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[]
  problems.push(`option "${key}" must be an array of glob strings, got ${JSON.stringify(value)}.`)
  return undefined
}

function declaration(problems: string[], name: string, value: unknown): ResourceDeclaration | undefined {
  const where = `resource "${name}"`
  if (!IDENTIFIER.test(name)) {
    problems.push(
      `${where}: the name is not a valid identifier, so tests cannot read it as ctx.${name}. ` +
        `Rename it, e.g. "${name.replace(/[^\p{ID_Continue}$]+(.)?/gu, (_, c: string | undefined) => (c ?? '').toUpperCase()) || 'resource'}".`,
    )
  } else if (CONTEXT_BUILTINS.has(name)) {
    problems.push(`${where}: the name hides Vitest's own ctx.${name}. Choose another name.`)
  }
  if (typeof value === 'string') {
    const hash = value.lastIndexOf('#')
    // A leading '#' is a package subpath import ('#lib/scheme'), not an export separator.
    const module = hash > 0 ? value.slice(0, hash) : value
    const exportName = hash > 0 ? value.slice(hash + 1) : 'default'
    if (module === '' || exportName === '') {
      problems.push(`${where}: "${value}" must be 'path#export' (or 'path' for the default export).`)
      return undefined
    }
    return { name, module, export: exportName, uses: [] }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${where}: expected 'path#export' or { module, export?, uses? }, got ${JSON.stringify(value)}.`)
    return undefined
  }
  const spec = value as Record<string, unknown>
  for (const key of Object.keys(spec)) {
    if (!['module', 'export', 'uses'].includes(key)) problems.push(`${where}: unknown key "${key}" (known: module, export, uses).`)
  }
  if (typeof spec.module !== 'string' || spec.module === '') {
    problems.push(`${where}: "module" must be a non-empty string (the path of the factory's module).`)
    return undefined
  }
  if (spec.export !== undefined && (typeof spec.export !== 'string' || spec.export === '')) {
    problems.push(`${where}: "export" must be a non-empty string, got ${JSON.stringify(spec.export)}.`)
  }
  const uses = spec.uses ?? []
  if (!Array.isArray(uses) || !uses.every((u) => typeof u === 'string')) {
    problems.push(`${where}: "uses" must be an array of resource names, got ${JSON.stringify(spec.uses)}.`)
    return { name, module: spec.module, export: typeof spec.export === 'string' ? spec.export : 'default', uses: [] }
  }
  return { name, module: spec.module, export: typeof spec.export === 'string' && spec.export ? spec.export : 'default', uses }
}

function checkUses(problems: string[], resources: ResourceDeclaration[]): void {
  const byName = new Map(resources.map((r) => [r.name, r]))
  for (const resource of resources) {
    for (const use of resource.uses) {
      if (!byName.has(use)) {
        problems.push(
          `resource "${resource.name}": uses "${use}", which is not a declared resource ` +
            `(declared: ${[...byName.keys()].join(', ')}). Declare "${use}" or remove it from uses.`,
        )
      }
    }
  }
  // Depth-first search; each cycle is reported once, from its first resource in declaration order.
  const done = new Set<string>()
  const visit = (name: string, path: string[]): void => {
    const at = path.indexOf(name)
    if (at >= 0) {
      const cycle = [...path.slice(at), name]
      problems.push(`resource "${name}": its uses form a cycle ${cycle.join(' → ')}. Break the cycle: a factory cannot receive itself.`)
      return
    }
    if (done.has(name)) return
    for (const use of byName.get(name)?.uses ?? []) if (byName.has(use)) visit(use, [...path, name])
    done.add(name)
  }
  for (const resource of resources) visit(resource.name, [])
}

/**
 * Validates `options` (and `VITEST_ISOLATION_LEAKS`), applies defaults, and throws one {@link IsolationOptionsError}
 * naming `configFile` if anything is wrong.
 */
export function normalizeOptions(options: unknown, configFile: string, env = process.env): NormalizedOptions {
  const problems: string[] = []
  const input = (options ?? {}) as Record<string, unknown>
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new IsolationOptionsError(configFile, [`expected an object, got ${JSON.stringify(options)}.`])
  }
  for (const key of Object.keys(input)) {
    if (!KNOWN_OPTIONS.includes(key)) problems.push(`unknown option "${key}" (known: ${KNOWN_OPTIONS.join(', ')}).`)
  }
  const leaksFromEnv = env.VITEST_ISOLATION_LEAKS
  const leaks =
    leaksFromEnv !== undefined && leaksFromEnv !== ''
      ? oneOf(problems, 'leaks', leaksFromEnv, ['warn', 'error', 'off'], 'warn', 'environment variable VITEST_ISOLATION_LEAKS')
      : oneOf(problems, 'leaks', input.leaks, ['warn', 'error', 'off'], 'warn')
  if (input.report !== undefined && input.report !== false && (typeof input.report !== 'string' || input.report === '')) {
    problems.push(`option "report" must be a path (relative to the Vitest root) or false, got ${JSON.stringify(input.report)}.`)
  }
  const resources: ResourceDeclaration[] = []
  if (input.resources !== undefined) {
    if (typeof input.resources !== 'object' || input.resources === null || Array.isArray(input.resources)) {
      problems.push(`option "resources" must be an object of name → 'path#export' or { module, export?, uses? }.`)
    } else {
      for (const [name, value] of Object.entries(input.resources)) {
        const declared = declaration(problems, name, value)
        if (declared) resources.push(declared)
      }
      checkUses(problems, resources)
    }
  }
  const normalized: NormalizedOptions = {
    include: globs(problems, 'include', input.include),
    exclude: globs(problems, 'exclude', input.exclude),
    mode: oneOf(problems, 'mode', input.mode, ['marked', 'all'], 'marked'),
    leaks,
    retention: oneOf(problems, 'retention', input.retention, ['off', 'file', 'test'], 'file'),
    report: typeof input.report === 'string' && input.report !== '' ? input.report : false,
    resources,
  }
  if (problems.length) throw new IsolationOptionsError(configFile, problems)
  return normalized
}

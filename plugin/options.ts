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
  /**
   * The state journal, which records what each test, hook and module evaluation left changed (globals, `process.env`, the
   * top-level bindings of the project's modules) and names the likely causes next to a test that fails after them.
   * `'verbose'` also prints, after the run, the changes that no failure followed; `'off'` records nothing.
   * @default 'on'
   */
  journal?: 'on' | 'verbose' | 'off'
  /**
   * Globals (names, `process.env.NAME`, or patterns) that are nobody's leak: a library's own global the journal does not
   * already know, a flag the suite sets on purpose.
   * @example ignoreGlobals: ['__APP_DEVTOOLS__', /^__my_lib_/, 'process.env.TZ']
   * @default []
   */
  ignoreGlobals?: (string | RegExp)[]
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
  journal: 'on' | 'verbose' | 'off'
  /** RegExps as `{ source, flags }`, so they reach the workers intact. */
  ignoreGlobals: (string | { source: string; flags: string })[]
  resources: ResourceDeclaration[]
  /**
   * What is wrong with the options, kept for `resolveResources` to throw together with the resource modules' problems: a
   * user fixing a typo in `uses` should not then discover a missing module, then a bad export. Empty when all is well.
   */
  problems: StartupProblems
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

/**
 * The start-up problems found so far. Those of one resource are listed together, resources in declaration order, so a
 * user reads everything wrong with "db" in one place, whichever check found it.
 */
export class StartupProblems {
  readonly #general: string[] = []
  readonly #byResource = new Map<string, string[]>()

  constructor(resourceNames: readonly string[] = []) {
    for (const name of resourceNames) this.#byResource.set(name, [])
  }

  /** A problem of the options as a whole (an unknown option, a bad `mode`). */
  add(message: string): void {
    this.#general.push(message)
  }

  /** A problem of the resource `name`. */
  addFor(name: string, message: string): void {
    const list = this.#byResource.get(name) ?? []
    this.#byResource.set(name, list)
    list.push(message)
  }

  get count(): number {
    return this.list().length
  }

  /** Every problem as the error lists it. */
  list(): string[] {
    const ofResources = [...this.#byResource].flatMap(([name, messages]) => messages.map((m) => `resource "${name}": ${m}`))
    return [...this.#general, ...ofResources]
  }
}

const KNOWN_OPTIONS = ['include', 'exclude', 'mode', 'resources', 'leaks', 'retention', 'report', 'journal', 'ignoreGlobals']
const KNOWN_SPEC_KEYS = ['module', 'export', 'uses']
const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u
// Properties Vitest itself puts on the test context: a resource of that name would hide them.
const CONTEXT_BUILTINS = new Set(['task', 'signal', 'skip', 'annotate', 'onTestFailed', 'onTestFinished', 'expect'])

/** Edit distance with adjacent transpositions (optimal string alignment): `retnetion` is one typo away from `retention`. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[a.length][b.length]
}

/**
 * The known name `key` was most likely meant to be, or `undefined` when none is close. Close means a few typos away
 * (about one per three letters; none for names under three) or one name cut short of the other (`retain` → `retention`, `reporter` → `report`):
 * a suggestion that is far off would mislead more than it helps.
 */
export function closest(key: string, known: readonly string[]): string | undefined {
  const typed = key.toLowerCase()
  let best: { name: string; distance: number } | undefined
  for (const name of known) {
    const candidate = name.toLowerCase()
    const truncated = Math.min(typed.length, candidate.length) >= 3 && (candidate.startsWith(typed) || typed.startsWith(candidate))
    const distance = editDistance(typed, candidate)
    if ((distance <= (typed.length < 3 ? 0 : Math.max(1, Math.floor(typed.length / 3))) || truncated) && (!best || distance < best.distance)) {
      best = { name, distance }
    }
  }
  return best?.name
}

function unknownKey(what: 'option' | 'key', key: string, known: readonly string[]): string {
  const guess = closest(key, known)
  const meant = guess ? `; did you mean "${guess}"?` : '.'
  return `unknown ${what} "${key}"${meant} Known ${what}s: ${known.join(', ')}.`
}

function oneOf<T extends string>(
  problems: StartupProblems,
  key: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
  source = `option "${key}"`,
): T {
  if (value === undefined) return fallback
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T
  problems.add(`${source} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}.`)
  return fallback
}

function globs(problems: StartupProblems, key: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[]
  problems.add(`option "${key}" must be an array of glob strings, got ${JSON.stringify(value)}.`)
  return undefined
}

function ignoredGlobals(problems: StartupProblems, value: unknown): NormalizedOptions['ignoreGlobals'] {
  if (value === undefined) return []
  const entries = Array.isArray(value) ? value : [value]
  const ignored: NormalizedOptions['ignoreGlobals'] = []
  for (const entry of entries) {
    if (typeof entry === 'string' && entry !== '') ignored.push(entry)
    else if (entry instanceof RegExp) ignored.push({ source: entry.source, flags: entry.flags })
    else {
      problems.add(`option "ignoreGlobals" must be an array of global names (strings) and RegExps, got ${JSON.stringify(entry) ?? String(entry)} in it.`)
    }
  }
  return ignored
}

function declaration(problems: StartupProblems, name: string, value: unknown): ResourceDeclaration | undefined {
  if (!IDENTIFIER.test(name)) {
    problems.addFor(
      name,
      `the name is not a valid identifier, so tests cannot read it as ctx.${name}. ` +
        `Rename it, e.g. "${name.replace(/[^\p{ID_Continue}$]+(.)?/gu, (_, c: string | undefined) => (c ?? '').toUpperCase()) || 'resource'}".`,
    )
  } else if (CONTEXT_BUILTINS.has(name)) {
    problems.addFor(name, `the name hides Vitest's own ctx.${name}. Choose another name.`)
  }
  if (typeof value === 'string') {
    const hash = value.lastIndexOf('#')
    // A leading '#' is a package subpath import ('#lib/scheme'), not an export separator.
    const module = hash > 0 ? value.slice(0, hash) : value
    const exportName = hash > 0 ? value.slice(hash + 1) : 'default'
    if (module === '' || exportName === '') {
      problems.addFor(name, `"${value}" must be 'path#export' (or 'path' for the default export).`)
      return undefined
    }
    return { name, module, export: exportName, uses: [] }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.addFor(name, `expected 'path#export' or { module, export?, uses? }, got ${JSON.stringify(value)}.`)
    return undefined
  }
  const spec = value as Record<string, unknown>
  for (const key of Object.keys(spec)) {
    if (!KNOWN_SPEC_KEYS.includes(key)) problems.addFor(name, unknownKey('key', key, KNOWN_SPEC_KEYS))
  }
  if (typeof spec.module !== 'string' || spec.module === '') {
    problems.addFor(name, `"module" must be a non-empty string (the path of the factory's module).`)
    return undefined
  }
  if (spec.export !== undefined && (typeof spec.export !== 'string' || spec.export === '')) {
    problems.addFor(name, `"export" must be a non-empty string, got ${JSON.stringify(spec.export)}.`)
  }
  const uses = spec.uses ?? []
  if (!Array.isArray(uses) || !uses.every((u) => typeof u === 'string')) {
    problems.addFor(name, `"uses" must be an array of resource names, got ${JSON.stringify(spec.uses)}.`)
    return { name, module: spec.module, export: typeof spec.export === 'string' ? spec.export : 'default', uses: [] }
  }
  return { name, module: spec.module, export: typeof spec.export === 'string' && spec.export ? spec.export : 'default', uses }
}

function checkUses(problems: StartupProblems, resources: ResourceDeclaration[], declared: readonly string[]): void {
  const byName = new Map(resources.map((r) => [r.name, r]))
  for (const resource of resources) {
    for (const use of resource.uses) {
      // A resource whose declaration is itself invalid is still declared: its own problem is reported, not this one.
      if (!declared.includes(use)) {
        const guess = closest(use, declared)
        problems.addFor(
          resource.name,
          `uses "${use}", which is not a declared resource ` +
            `(declared: ${declared.join(', ')}). ${guess ? `Did you mean "${guess}"? ` : ''}Declare "${use}" or remove it from uses.`,
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
      problems.addFor(name, `its uses form a cycle ${cycle.join(' → ')}. Break the cycle: a factory cannot receive itself.`)
      return
    }
    if (done.has(name)) return
    for (const use of byName.get(name)?.uses ?? []) if (byName.has(use)) visit(use, [...path, name])
    done.add(name)
  }
  for (const resource of resources) visit(resource.name, [])
}

/**
 * Validates `options` (and `VITEST_ISOLATION_LEAKS`) and applies defaults. If anything is wrong it throws one
 * {@link IsolationOptionsError} naming `configFile` — at once when no resource module is left to check, else from
 * `resolveResources`, together with the modules' problems (so the returned options must go through it before use).
 */
export function normalizeOptions(options: unknown, configFile: string, env = process.env): NormalizedOptions {
  const input = (options ?? {}) as Record<string, unknown>
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new IsolationOptionsError(configFile, [`expected an object, got ${JSON.stringify(options)}.`])
  }
  const declaredResources = input.resources
  const problems = new StartupProblems(
    typeof declaredResources === 'object' && declaredResources !== null ? Object.keys(declaredResources) : [],
  )
  for (const key of Object.keys(input)) {
    if (!KNOWN_OPTIONS.includes(key)) problems.add(unknownKey('option', key, KNOWN_OPTIONS))
  }
  const leaksFromEnv = env.VITEST_ISOLATION_LEAKS
  const leaks =
    leaksFromEnv !== undefined && leaksFromEnv !== ''
      ? oneOf(problems, 'leaks', leaksFromEnv, ['warn', 'error', 'off'], 'warn', 'environment variable VITEST_ISOLATION_LEAKS')
      : oneOf(problems, 'leaks', input.leaks, ['warn', 'error', 'off'], 'warn')
  if (input.report !== undefined && input.report !== false && (typeof input.report !== 'string' || input.report === '')) {
    problems.add(`option "report" must be a path (relative to the Vitest root) or false, got ${JSON.stringify(input.report)}.`)
  }
  const resources: ResourceDeclaration[] = []
  if (input.resources !== undefined) {
    if (typeof input.resources !== 'object' || input.resources === null || Array.isArray(input.resources)) {
      problems.add(`option "resources" must be an object of name → 'path#export' or { module, export?, uses? }.`)
    } else {
      for (const [name, value] of Object.entries(input.resources)) {
        const declared = declaration(problems, name, value)
        if (declared) resources.push(declared)
      }
      checkUses(problems, resources, Object.keys(input.resources))
    }
  }
  const normalized: NormalizedOptions = {
    include: globs(problems, 'include', input.include),
    exclude: globs(problems, 'exclude', input.exclude),
    mode: oneOf(problems, 'mode', input.mode, ['marked', 'all'], 'marked'),
    leaks,
    retention: oneOf(problems, 'retention', input.retention, ['off', 'file', 'test'], 'file'),
    report: typeof input.report === 'string' && input.report !== '' ? input.report : false,
    journal: oneOf(problems, 'journal', input.journal, ['on', 'verbose', 'off'], 'on'),
    ignoreGlobals: ignoredGlobals(problems, input.ignoreGlobals),
    resources,
    problems,
  }
  if (problems.count && resources.length === 0) throw new IsolationOptionsError(configFile, problems.list())
  return normalized
}

// Generates the benchmark suite of one configuration: a Vitest project with `files` test files of `tests` tests each,
// whose tests drive the example controller's fake client over a Scheme with dozens of registered kinds (the example API's
// 16 plus `GENERATED_KINDS` generated provider kinds and their lists), and that use three helper modules with top-level
// state (a counter, a memo cache, a configuration object). Every test works in its own namespace, so the suite passes
// whether the Scheme and client are shared (floor, default) or per test (extend, plugin).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'

/** Generated provider kinds (each also gets a `<Kind>List`), spread over a few API groups. */
export const GENERATED_KINDS = 40
/** Kinds in the benchmark Scheme: the 14 of the example API (`addToScheme`) plus the generated kinds and their lists. */
export const SCHEME_KINDS = 14 + 2 * GENERATED_KINDS
const GROUPS = ['compute', 'storage', 'network', 'identity']

/** `path` as an import specifier from `dir` (always `./` or `../`, `/` separators). */
function specifier(dir, path) {
  const rel = relative(dir, path).replaceAll('\\', '/')
  return rel.startsWith('.') ? rel : `./${rel}`
}

function kindsModule(example) {
  const lines = [
    '// Generated: provider kinds in the shape of the example API, registered next to it by newBenchScheme().',
    `import { TypedList, TypedObject, type ObjectInit } from '${example}/api/object.ts'`,
    `import { newScheme, type Scheme } from '${example}/scheme/index.ts'`,
    '',
    'type Fields = Record<string, unknown>',
    '',
  ]
  const byGroup = new Map(GROUPS.map((g) => [g, []]))
  for (let k = 0; k < GENERATED_KINDS; k++) {
    const group = GROUPS[k % GROUPS.length]
    const kind = `${group[0].toUpperCase()}${group.slice(1)}Resource${k}`
    const apiVersion = `${group}.bench.x-k8s.io/v1beta2`
    byGroup.get(group).push(kind, `${kind}List`)
    lines.push(
      `export class ${kind} extends TypedObject<Fields, Fields> {`,
      `  static readonly kind = '${kind}'`,
      `  constructor(init: ObjectInit<Fields, Fields> = {}) {`,
      `    super('${apiVersion}', '${kind}', init, { size: 'small', replicas: ${k % 5} }, {})`,
      '  }',
      '}',
      `export class ${kind}List extends TypedList<${kind}> {`,
      `  static readonly kind = '${kind}List'`,
      `  constructor(items: ${kind}[] = []) {`,
      `    super('${apiVersion}', '${kind}List', items)`,
      '  }',
      '}',
      '',
    )
  }
  lines.push(
    '/** The example API plus every generated kind: the Scheme of the benchmark suites (the `scheme` resource). */',
    'export function newBenchScheme(): Scheme {',
    '  const scheme = newScheme()',
  )
  for (const [group, kinds] of byGroup) {
    lines.push(`  scheme.addKnownTypes({ group: '${group}.bench.x-k8s.io', version: 'v1beta2' }, ${kinds.join(', ')})`)
  }
  lines.push('  return scheme', '}', '')
  return lines.join('\n')
}

function fixturesModule(example) {
  return [
    '// Hand-written per-test fixtures: what users write without the plugin.',
    "import { test as base } from 'vitest'",
    `import { newFakeClient, type Client } from '${example}/client/index.ts'`,
    `import type { Scheme } from '${example}/scheme/index.ts'`,
    "import { newBenchScheme } from './kinds.ts'",
    '',
    'export const test = base.extend<{ scheme: Scheme; client: Client }>({',
    '  // eslint-disable-next-line no-empty-pattern',
    '  scheme: async ({}, use) => use(newBenchScheme()),',
    '  client: async ({ scheme }, use) => use(newFakeClient({ scheme })),',
    '})',
    '',
  ].join('\n')
}

// Source modules with top-level state, imported by every test file as a real project's helpers are: a `let` counter, a
// `const` Map used as a memo cache, and a configuration object. The tests' results do not depend on them (the counter's
// value is only ever unique, the cache is filled with the same values in any order, the configuration is only read), so
// the suite passes whatever the order or sharing; under the plugin, the state journal follows all three (module roots).

function idsModule() {
  return [
    '// Generated: a module-level counter, as projects keep one for unique names.',
    'let created = 0',
    '',
    '/** A name no other call in this process has returned. */',
    'export function uniqueName(prefix: string): string {',
    '  created++',
    '  return `${prefix}-${created}`',
    '}',
    '',
  ].join('\n')
}

function cacheModule() {
  return [
    '// Generated: a module-level memo cache, filled on first use.',
    'export interface GroupVersionKind {',
    '  group: string',
    '  version: string',
    '  kind: string',
    '}',
    '',
    'const kinds = new Map<string, GroupVersionKind>()',
    '',
    '/** The group, version and kind of a generated provider kind (the same object for every call with that kind). */',
    'export function providerKind(group: string, kind: string): GroupVersionKind {',
    '  let gvk = kinds.get(kind)',
    '  if (gvk === undefined) {',
    "    gvk = { group: `${group}.bench.x-k8s.io`, version: 'v1beta2', kind }",
    '    kinds.set(kind, gvk)',
    '  }',
    '  return gvk',
    '}',
    '',
  ].join('\n')
}

function configModule() {
  return [
    '// Generated: the suite\'s configuration object, read by every test.',
    'export const benchConfig = {',
    '  replicas: 3,',
    "  labels: { set: 'bench.x-k8s.io/set', uid: 'bench.x-k8s.io/uid' },",
    "  namespaces: { prefix: 'ns' },",
    '}',
    '',
  ].join('\n')
}

/** One test: a MachineSet, its Machines and a provider object in the test's namespace; list, patch, delete, check. */
function testBody(f, t) {
  const id = `${f}-${t}`
  const k = (f * 10 + t) % GENERATED_KINDS
  const group = GROUPS[k % GROUPS.length]
  const kind = `${group[0].toUpperCase()}${group.slice(1)}Resource${k}`
  return [
    `    const namespace = \`\${benchConfig.namespaces.prefix}-${id}\``,
    `    const labels = { [benchConfig.labels.set]: 'set-${id}' }`,
    `    const owner = await client.create(new MachineSet({ metadata: { name: 'ms-${id}', namespace, labels, annotations: { [benchConfig.labels.uid]: uniqueName('ms') } }, spec: { ...emptyMachineSetSpec(), clusterName: 'c-${f}', replicas: benchConfig.replicas } }))`,
    `    for (let m = 0; m < 3; m++) {`,
    `      await client.create(new Machine({ metadata: { name: \`m-${id}-\${m}\`, namespace, labels } }))`,
    `    }`,
    `    const provider = scheme.new(providerKind('${group}', '${kind}')) as KubeObject`,
    `    provider.metadata = { name: 'p-${id}', namespace, labels }`,
    `    await client.create(provider)`,
    `    const machines = await client.list(new MachineList(), { namespace, matchLabels: labels })`,
    `    expect(machines.items.map((m) => m.metadata.name)).toEqual(['m-${id}-0', 'm-${id}-1', 'm-${id}-2'])`,
    `    const before = structuredClone(owner)`,
    `    owner.spec.replicas = machines.items.length - 1`,
    `    await client.patch(owner, mergeFrom(before))`,
    `    await client.delete(machines.items[0])`,
    `    const left = await client.list(new MachineList(), { namespace })`,
    `    expect(left.items).toHaveLength(2)`,
    `    expect(scheme.recognizes({ group: 'cluster.x-k8s.io', version: 'v1beta2', kind: 'MachineSet' })).toBe(true)`,
    ...(t === 0 ? [`    expect(scheme.allKnownTypes().size).toBe(${SCHEME_KINDS})`] : []),
  ].join('\n')
}

function testFile(style, f, tests, paths) {
  const perTest = style === 'extend' || style === 'ctx'
  const imports = [
    "import { describe, expect } from 'vitest'",
    style === 'extend' ? "import { test } from '../support/fixtures.ts'" : "import { test } from 'vitest'",
    `import { Machine, MachineList, MachineSet, emptyMachineSetSpec, type KubeObject } from '${paths.example}/api/index.ts'`,
    perTest
      ? `import { mergeFrom } from '${paths.example}/client/index.ts'`
      : `import { mergeFrom, newFakeClient } from '${paths.example}/client/index.ts'`,
    ...(perTest ? [] : ["import { newBenchScheme } from '../support/kinds.ts'"]),
    "import { providerKind } from '../support/cache.ts'",
    "import { benchConfig } from '../support/config.ts'",
    "import { uniqueName } from '../support/ids.ts'",
    '',
  ]
  const mark = style === 'marked' ? '// @isolate\n' : ''
  const top = perTest ? [] : [`${mark}const scheme = newBenchScheme()`, `${mark}const client = newFakeClient({ scheme })`, '']
  const parameter = perTest ? '{ scheme, client }' : ''
  // With resources, a test is isolated (and gets ctx.scheme) when it or its suite is marked, as the README shows.
  const body = [...(style === 'ctx' ? ['// @isolate'] : []), `describe('machine sets ${f}', () => {`]
  for (let t = 0; t < tests; t++) {
    body.push(`  test('reconciles set ${f}-${t}', async (${parameter}) => {`, testBody(f, t), '  })', '')
  }
  body.push('})', '')
  return [...imports, ...top, ...body].join('\n')
}

function vitestConfig(config, paths) {
  const options = config.plugin ? Object.entries(config.plugin).map(([key, value]) => `    ${key}: ${JSON.stringify(value)},`) : []
  const resources = [
    '    resources: {',
    "      scheme: './support/kinds.ts#newBenchScheme',",
    `      client: { module: '${paths.example}/client/index.ts', export: 'newFakeClient', uses: ['scheme'] },`,
    '    },',
  ]
  // Nothing declared: `isolation()` as a user first adds it, or with the options of the configuration only.
  const call = config.declares === false ? (options.length === 0 ? ['  isolation(),'] : ['  isolation({', ...options, '  }),']) : ['  isolation({', ...options, ...resources, '  }),']
  const plugin = config.plugin ? [`import { isolation } from '${paths.plugin}'`, '', 'const plugins = [', ...call, ']'] : ['const plugins = []']
  return [
    "import { defineConfig } from 'vitest/config'",
    ...plugin,
    '',
    `// ${config.label}`,
    'export default defineConfig({',
    '  plugins,',
    `  test: ${JSON.stringify({ include: ['tests/**/*.test.ts'], ...config.test })},`,
    '})',
    '',
  ].join('\n')
}

/**
 * Writes the project of `config` into `dir` (emptied first): `files` × `tests` tests. `plugin` is what the config imports
 * the plugin from: a package name, or the absolute path of its entry; `repo` is the repository root (the example controller's home).
 */
export function generateSuite({ dir, config, files, tests, plugin, repo }) {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'tests'), { recursive: true })
  mkdirSync(join(dir, 'support'), { recursive: true })
  const fromSupport = { example: specifier(join(dir, 'support'), join(repo, 'example-controller')) }
  const fromTests = { example: specifier(join(dir, 'tests'), join(repo, 'example-controller')) }
  // A package name (how users import it) stays as is; a path becomes relative to the project.
  const pluginSpecifier = plugin.startsWith('/') || /^[A-Za-z]:[\\/]/.test(plugin) ? specifier(dir, plugin) : plugin
  const fromRoot = { example: specifier(dir, join(repo, 'example-controller')), plugin: pluginSpecifier }
  writeFileSync(join(dir, 'support', 'kinds.ts'), kindsModule(fromSupport.example))
  writeFileSync(join(dir, 'support', 'ids.ts'), idsModule())
  writeFileSync(join(dir, 'support', 'cache.ts'), cacheModule())
  writeFileSync(join(dir, 'support', 'config.ts'), configModule())
  if (config.style === 'extend') writeFileSync(join(dir, 'support', 'fixtures.ts'), fixturesModule(fromSupport.example))
  writeFileSync(join(dir, 'vitest.config.ts'), vitestConfig(config, fromRoot))
  for (let f = 0; f < files; f++) {
    const name = `set-${String(f).padStart(4, '0')}.test.ts`
    writeFileSync(join(dir, 'tests', name), testFile(config.style, f, tests, fromTests))
  }
}

// Writes polluted test suites into temporary directories for the hunt's end-to-end tests and benchmark.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repoNodeModules = fileURLToPath(new URL('../../node_modules', import.meta.url))

/** What a generated test does besides passing. */
export type Behaviour =
  /** sets `globalThis.__polluted` */
  | 'pollute'
  /** sets `globalThis.__half`: harmless alone */
  | 'half'
  /** sets `globalThis.__polluted` only when `__half` is already set: A ('half') + B ('complete') pollute together */
  | 'complete'
  /** puts an entry in the shared module-level Map of `tests/shared.js` */
  | 'map'
  /** leaves `globalThis.__noise` changed: state the victim does not read */
  | 'noise'

/** The suite to write: `files` files of `tests` tests each; the victim file is written apart. */
export interface SuiteSpec {
  files: number
  tests: number
  /**
   * `'f07#3'` → test 3 of file 7 behaves; `'f07#scope'` → the module scope of file 7 does; `'f07#beforeEach'` (or
   * `beforeAll`) → a hook of the file's describe block does.
   */
  behaviours?: Record<string, Behaviour>
  /** Clean tests at the top level of particular files (by index), after the describe block: `'outside 0'`, … */
  outside?: Record<number, number>
  /** Test counts of particular files (by index), instead of `tests`. */
  testsIn?: Record<number, number>
  /**
   * The victim checks the global flag, or the shared Map, or nothing (never fails); `once` fails the first time it runs
   * after another file (every generated file's module scope says it ran), and never again: a flaky victim.
   */
  victim?: 'global' | 'map' | 'clean' | 'once'
  /** What the victim file's first test ('warms up') does. */
  warmUp?: Behaviour
  /** Findings the victim puts in its own `task.meta.isolation` when it fails, as vitest-isolation's runtime would. */
  victimFindings?: { origin: Place }[]
  /** The state journal's causes the victim puts in its `task.meta.isolation` when it fails, most likely first. */
  victimCauses?: Place[]
}

/** A place as the runtime reports it (runtime/report/types.ts). */
export interface Place {
  file: string
  test: string | null
  hook?: 'beforeAll' | 'afterAll' | 'beforeEach' | 'afterEach'
  suite?: string
}

/** A generated project on disk. */
export interface Suite {
  root: string
  /** Relative path of the generated test file `i`. */
  file: (i: number) => string
  victimFile: string
  victimTest: string
  remove: () => void
}

const statement: Record<Behaviour, string> = {
  pollute: 'globalThis.__polluted = true',
  half: 'globalThis.__half = true',
  complete: 'if (globalThis.__half) globalThis.__polluted = true',
  map: "registry.set('leaked', 1)",
  noise: 'globalThis.__noise = (globalThis.__noise ?? 0) + 1',
}

/** Writes a suite: `tests/fNN.test.js` files, `tests/victim.test.js`, a shared module and a Vitest config. */
export function generateSuite(spec: SuiteSpec): Suite {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vi-hunt-'))
  const width = String(spec.files - 1).length
  const name = (i: number): string => `f${String(i).padStart(width, '0')}`
  const file = (i: number): string => `tests/${name(i)}.test.js`
  fs.mkdirSync(path.join(root, 'tests'))
  // The generated tests import `vitest` from the repository's own install.
  fs.symlinkSync(repoNodeModules, path.join(root, 'node_modules'), 'dir')
  fs.writeFileSync(path.join(root, 'vitest.config.mjs'), "export default { test: { include: ['tests/**/*.test.js'] } }\n")
  fs.writeFileSync(path.join(root, 'tests/shared.js'), 'export const registry = new Map()\n')
  const behaviours = spec.behaviours ?? {}
  for (let i = 0; i < spec.files; i++) {
    const scope = behaviours[`${name(i)}#scope`]
    const tests = Array.from({ length: spec.testsIn?.[i] ?? spec.tests }, (_, t) => {
      const behaviour = behaviours[`${name(i)}#${t}`]
      const body = behaviour ? statement[behaviour] : `expect(${t} + 1).toBe(${t + 1})`
      return `  test('test ${t}', () => {\n    ${body}\n  })`
    })
    const hooks = (['beforeAll', 'beforeEach'] as const).flatMap((hook) => {
      const behaviour = behaviours[`${name(i)}#${hook}`]
      return behaviour ? [`  ${hook}(() => {\n    ${statement[behaviour]}\n  })`] : []
    })
    const outside = Array.from({ length: spec.outside?.[i] ?? 0 }, (_, t) => `test('outside ${t}', () => {})`)
    const source = [
      "import { beforeAll, beforeEach, describe, expect, test } from 'vitest'",
      "import { registry } from './shared.js'",
      '',
      ...(scope ? [statement[scope], ''] : []),
      ...(spec.victim === 'once' ? ['globalThis.__others = true', ''] : []),
      `describe('${name(i)}', () => {`,
      ...hooks,
      ...tests,
      '})',
      ...outside,
      '',
    ]
    fs.writeFileSync(path.join(root, file(i)), source.join('\n'))
  }
  const marker = JSON.stringify(path.join(root, '.failed-once'))
  const checks: Record<NonNullable<SuiteSpec['victim']>, [polluted: string, check: string]> = {
    global: ['globalThis.__polluted !== undefined', 'expect(globalThis.__polluted).toBeUndefined()'],
    map: ['registry.size > 0', 'expect(registry.size).toBe(0)'],
    clean: ['false', 'expect(true).toBe(true)'],
    once: [`globalThis.__others && !fs.existsSync(${marker})`, `fs.writeFileSync(${marker}, ''); expect('failed').toBe('once')`],
  }
  const [polluted, check] = checks[spec.victim ?? 'global']
  const causes = spec.victimCauses?.map((by) => ({ state: 'globalThis.__polluted', change: 'added', by, tests: 1 }))
  const meta = spec.victimFindings || causes ? { findings: spec.victimFindings, causes } : null
  fs.writeFileSync(
    path.join(root, 'tests/victim.test.js'),
    [
      "import fs from 'node:fs'",
      "import { describe, expect, test } from 'vitest'",
      "import { registry } from './shared.js'",
      '',
      "describe('victim', () => {",
      `  test('warms up', () => {${spec.warmUp ? ` ${statement[spec.warmUp]} ` : ''}})`,
      `  test('reads clean state', ({ task }) => {`,
      ...(meta ? [`    if (${polluted}) task.meta.isolation = ${JSON.stringify(meta)}`] : []),
      ...(spec.victim === 'once' ? [`    if (${polluted}) { ${check} }`] : [`    ${check}`]),
      '  })',
      '})',
      '',
    ].join('\n'),
  )
  return {
    root,
    file,
    victimFile: 'tests/victim.test.js',
    victimTest: 'victim > reads clean state',
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  }
}

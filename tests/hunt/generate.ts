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

/** The suite to write: `files` files of `tests` tests each; the victim file is written apart. */
export interface SuiteSpec {
  files: number
  tests: number
  /** `'f07#3'` → test 3 of file 7 behaves; `'f07#scope'` → the module scope of file 7 pollutes. */
  behaviours?: Record<string, Behaviour>
  /** Test counts of particular files (by index), instead of `tests`. */
  testsIn?: Record<number, number>
  /** The victim checks the global flag, or the shared Map, or nothing (never fails). */
  victim?: 'global' | 'map' | 'clean'
  /** What the victim file's first test ('warms up') does. */
  warmUp?: Behaviour
  /** Findings the victim puts in its own `task.meta.isolation`, as vitest-isolation's runtime would. */
  victimFindings?: { origin: { file: string; test: string | null } }[]
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
    const source = [
      "import { describe, expect, test } from 'vitest'",
      "import { registry } from './shared.js'",
      '',
      ...(scope ? [statement[scope], ''] : []),
      `describe('${name(i)}', () => {`,
      ...tests,
      '})',
      '',
    ]
    fs.writeFileSync(path.join(root, file(i)), source.join('\n'))
  }
  const check =
    spec.victim === 'map'
      ? 'expect(registry.size).toBe(0)'
      : spec.victim === 'clean'
        ? 'expect(true).toBe(true)'
        : 'expect(globalThis.__polluted).toBeUndefined()'
  fs.writeFileSync(
    path.join(root, 'tests/victim.test.js'),
    [
      "import { describe, expect, test } from 'vitest'",
      "import { registry } from './shared.js'",
      '',
      "describe('victim', () => {",
      `  test('warms up', () => {${spec.warmUp ? ` ${statement[spec.warmUp]} ` : ''}})`,
      `  test('reads clean state', ({ task }) => {`,
      ...(spec.victimFindings ? [`    task.meta.isolation = ${JSON.stringify(spec.victimFindings)}`] : []),
      `    ${check}`,
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

#!/usr/bin/env node
// Proves the published package stands on its own: build, `npm pack`, install the tarball into an empty temporary project
// (with nothing from this repository around it), import both entries, and run a real Vitest suite through the plugin there.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const repo = resolve(import.meta.dirname, '..')
const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'))
const installed = (name) => lock.packages[`node_modules/${name}`].version
const keep = process.argv.includes('--keep')

function run(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' })
}

const work = mkdtempSync(join(tmpdir(), 'vitest-isolation-pack-'))
try {
  run('npm', ['run', 'build', '--silent'], repo)
  const [{ filename }] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], repo))
  const app = join(work, 'app')
  mkdirSync(join(app, 'src'), { recursive: true })
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'pack-check-app', private: true, type: 'module' }))
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', join(work, filename),
    `vitest@${installed('vitest')}`, `vite@${installed('vite')}`], app)

  // Both entries import by the package's own name, and their public surface is exactly this (a change here is an API change).
  const surface = JSON.parse(run('node', ['--input-type=module', '-e', `
    const plugin = await import('vitest-isolation')
    const runtime = await import('vitest-isolation/runtime')
    if (plugin.default !== plugin.isolation) throw new Error('the default export is not isolation')
    console.log(JSON.stringify({ plugin: Object.keys(plugin).sort(), runtime: Object.keys(runtime).sort() }))
  `], app))
  const expected = {
    plugin: ['IsolationOptionsError', 'default', 'isolation'],
    runtime: ['IsolationLeakError', 'IsolationScopeError', '__vi_iso_runtime', 'currentTest', 'useResource'],
  }
  if (JSON.stringify(surface) !== JSON.stringify(expected)) {
    throw new Error(`pack check: the public exports changed:\n  got      ${JSON.stringify(surface)}\n  expected ${JSON.stringify(expected)}`)
  }
  run(join(app, 'node_modules', '.bin', 'vitest-isolation'), ['--help'], app)

  // One real suite through the plugin: a resource, a marked binding, concurrent tests.
  writeFileSync(join(app, 'src', 'registry.ts'), `
    export class Registry { kinds = new Set<string>() }
    export function newRegistry(): Registry { return new Registry() }
  `)
  writeFileSync(join(app, 'vitest.config.ts'), `
    import { defineConfig } from 'vitest/config'
    import { isolation } from 'vitest-isolation'
    export default defineConfig({
      plugins: [isolation({ resources: { registry: './src/registry.ts#newRegistry' } })],
      test: { isolate: false },
    })
  `)
  writeFileSync(join(app, 'src', 'registry.test.ts'), `
    import { describe, expect, test } from 'vitest'
    import type { IsolationContext } from 'vitest-isolation'
    import { newRegistry } from './registry.ts'

    declare module 'vitest' {
      interface TestContext extends IsolationContext<{ registry: typeof newRegistry }> {}
    }

    // @isolate
    const shared = newRegistry()

    // @isolate
    describe.concurrent('per-test state', () => {
      for (const kind of ['a', 'b', 'c', 'd']) {
        test(kind, async ({ registry }) => {
          shared.kinds.add(kind)
          registry.kinds.add(kind)
          await new Promise((r) => setTimeout(r, 5))
          expect([...shared.kinds]).toEqual([kind])
          expect([...registry.kinds]).toEqual([kind])
        })
      }
    })
  `)
  // The JSON goes to a file: the plugin's own reporter prints its findings summary on stdout too.
  run('npx', ['vitest', 'run', '--reporter=json', '--outputFile.json=results.json'], app)
  const result = JSON.parse(readFileSync(join(app, 'results.json'), 'utf8'))
  // The types a user writes against the package check too (the one-line TestContext declaration above).
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true,
      allowImportingTsExtensions: true, skipLibCheck: true, types: [] },
    include: ['src'],
  }))
  run(join(repo, 'node_modules', '.bin', 'tsc'), ['-p', app], app)
  if (result.numPassedTests !== 4 || result.numFailedTests !== 0) {
    throw new Error(`pack check: expected 4 passing tests, got ${result.numPassedTests} passed / ${result.numFailedTests} failed`)
  }
  console.log(`pack check: ${filename} installs in an empty project; both entries import with the expected exports; 4 passed, 0 failed through the plugin; its types check`)
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true })
  else console.log(`kept ${work}`)
}

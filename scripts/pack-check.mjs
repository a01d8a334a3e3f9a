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

  // Both entries import, and the bin answers --help.
  run('node', ['--input-type=module', '-e', `
    const plugin = await import('vitest-isolation')
    const runtime = await import('vitest-isolation/runtime')
    if (typeof plugin.isolation !== 'function' || plugin.default !== plugin.isolation) throw new Error('bad plugin entry')
    if (typeof runtime.useResource !== 'function') throw new Error('bad runtime entry')
  `], app)
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
    import { newRegistry, type Registry } from './registry.ts'

    // @isolate
    const shared = newRegistry()

    // @isolate
    describe.concurrent('per-test state', () => {
      for (const kind of ['a', 'b', 'c', 'd']) {
        test(kind, async (ctx) => {
          shared.kinds.add(kind)
          const registry = (ctx as unknown as { registry: Registry }).registry
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
  if (result.numPassedTests !== 4 || result.numFailedTests !== 0) {
    throw new Error(`pack check: expected 4 passing tests, got ${result.numPassedTests} passed / ${result.numFailedTests} failed`)
  }
  console.log(`pack check: ${filename} installs in an empty project; both entries import; 4 passed, 0 failed through the plugin`)
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true })
  else console.log(`kept ${work}`)
}

/**
 * End-to-end: the built `vitest-isolation migrate` on fixture suites configured with Vitest's per-file isolation
 * (tests/fixtures/migrate/): a config changed in place in a source module (listed to fix by hand, with the polluting test
 * and the state, confirmed by hunt), concurrent tests sharing a test file's top-level registry (a marker proposed; with
 * `--write` inserted, and the shared runs pass), a clean suite, and a suite that already fails as configured.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'

import { runCli } from './run-cli.ts'
import { FIXTURES } from './helpers.ts'

// The bin: built by the e2e project's global setup; the packed package's when the compatibility matrix runs this file
// in a project that installed it; else built here.
let bin = ''
let removeBuild = (): void => {}
beforeAll(async () => {
  const installed = path.join(process.cwd(), 'node_modules/vitest-isolation/dist/cli/index.js')
  bin = inject('huntCliBin') ?? (fs.existsSync(installed) ? installed : '')
  if (bin) return
  const build = (await import('../hunt/global-setup.ts')).buildCli()
  bin = build.bin
  removeBuild = build.remove
}, 120_000)
const copies: string[] = []
afterAll(() => {
  for (const dir of copies.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
  removeBuild()
})

const fixture = (name: string): string => path.join(FIXTURES, 'migrate', name)

/** A copy of a fixture folder beside it (same depth: its relative imports still resolve), removed after the tests. */
function copyOf(source: string): string {
  const dir = `${source}-copy-${process.pid}`
  fs.cpSync(source, dir, { recursive: true })
  copies.push(dir)
  return dir
}

/** Every file under `dir` with its content. */
function contents(dir: string): Record<string, string> {
  const files: Record<string, string> = {}
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[path.relative(dir, path.join(entry.parentPath, entry.name))] = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8')
  }
  return files
}

async function migrateJson(root: string, ...args: string[]): Promise<{ code: number | null; json: Record<string, unknown>; stderr: string }> {
  const result = await runCli(bin, ['migrate', '--root', root, '--json', ...args], root)
  return { code: result.code, json: JSON.parse(result.stdout) as Record<string, unknown>, stderr: result.stderr }
}

test('a config changed in place in a source module: the test and the state, confirmed by hunt; no marker, nothing written', async () => {
  const root = fixture('source-config')
  const before = contents(root)
  const { code, json, stderr } = await migrateJson(root)
  expect(code).toBe(1)
  expect(json).toMatchObject({ baseline: { passed: 2, failed: 0 }, shared: { passed: 1, failed: 1 }, changes: [], alreadyFailing: [] })
  expect(json.remaining).toEqual([
    {
      test: { file: 'tests/b-price.test.ts', test: 'prices in the default locale' },
      causes: [
        {
          test: { file: 'tests/a-locale.test.ts', test: 'switches the locale' },
          hook: null,
          state: 'settings.locale',
          module: 'src/settings.ts:2',
          source: 'both',
          fix: 'restore `settings.locale` in an afterEach: src/settings.ts keeps it for every later test of the worker',
        },
      ],
    },
  ])
  // Progress on stderr as the runs go.
  expect(stderr).toContain('[vitest-isolation] migrate: 1/4 baseline: 2 passed, 0 failed')
  expect(stderr).toContain("hunt: polluter found: tests/a-locale.test.ts > 'switches the locale'")
  expect(contents(root)).toEqual(before)
})

test('the report card: what breaks, grouped by cause, with the fix', async () => {
  const root = fixture('source-config')
  const result = await runCli(bin, ['migrate', '--root', root], root)
  expect(result.code).toBe(1)
  expect(result.stdout).toContain(
    [
      'To fix by hand: 1 test breaks for one cause (--json lists every test):',
      '  1. test "switches the locale" (tests/a-locale.test.ts) left `settings.locale` (src/settings.ts:2) changed — breaks 1 test: tests/b-price.test.ts > prices in the default locale, confirmed by hunt',
      '     fix: restore `settings.locale` in an afterEach: src/settings.ts keeps it for every later test of the worker',
    ].join('\n'),
  )
})

test('concurrent tests sharing a test file’s registry: the marker is proposed, and nothing is written without --write', async () => {
  const root = fixture('shared-binding')
  const before = contents(root)
  const { code, json } = await migrateJson(root)
  expect(code).toBe(1)
  expect(json.changes).toEqual([
    {
      file: 'tests/kinds.test.ts',
      line: 8,
      marker: '// @isolate',
      reason: 'shared-instance: the registry made at the top level (Registry#1) is used by several tests',
      status: 'proposed',
    },
  ])
  // The race fails with per-file isolation too: reported as failing already, not as a breakage.
  expect(json.alreadyFailing).toEqual(['tests/kinds.test.ts::kinds > registers machines', 'tests/kinds.test.ts::kinds > registers machine sets'])
  expect(json.remaining).toEqual([])
  expect(contents(root)).toEqual(before)
})

test('--write inserts the marker (one comment line, nothing else), the shared runs pass again, exit 0', async () => {
  const root = copyOf(fixture('shared-binding'))
  const original = fs.readFileSync(path.join(root, 'tests/kinds.test.ts'), 'utf8').split('\n')
  const { code, json } = await migrateJson(root, '--write')
  expect(code).toBe(0)
  expect(json).toMatchObject({ shared: { passed: 2, failed: 0 }, verified: true, remaining: [] })
  expect(json.changes).toMatchObject([{ file: 'tests/kinds.test.ts', line: 8, status: 'written' }])
  const written = fs.readFileSync(path.join(root, 'tests/kinds.test.ts'), 'utf8').split('\n')
  expect(written).toEqual([...original.slice(0, 7), '// @isolate', ...original.slice(7)])
})

test('the seed flake: --write marks the shared Scheme and the client built on it, and the sibling passes', async () => {
  const root = copyOf(path.join(FIXTURES, 'seed-flake'))
  const original = fs.readFileSync(path.join(root, 'machineset.test.ts'), 'utf8').split('\n')
  const { code, json } = await migrateJson(root, '--write')
  expect(code).toBe(0)
  // Configured with isolate: false already: the race is a failure as configured, which the markers fix.
  expect(json.alreadyFailing).toEqual(['machineset.test.ts::MachineSet syncReplicas with a shared scheme > the scheme still knows exactly the example API'])
  expect(json).toMatchObject({ shared: { passed: 2, failed: 0 }, verified: true, remaining: [] })
  expect(json.changes).toEqual([
    expect.objectContaining({ file: 'machineset.test.ts', line: 94, status: 'written', reason: expect.stringContaining('shared-instance') }),
    expect.objectContaining({ file: 'machineset.test.ts', line: 96, status: 'written', reason: 'its initializer reads `scheme`, marked too (a marked binding exists only inside a test)' }),
  ])
  const written = fs.readFileSync(path.join(root, 'machineset.test.ts'), 'utf8').split('\n')
  // Two comment lines inserted, above `const scheme` and `const client`; every other line as it was.
  const markers = written.flatMap((line, i) => (line === '// @isolate' ? [i] : []))
  expect(markers.map((i) => written[i + 1].split(' =')[0])).toEqual(['const scheme', 'const client'])
  expect(written.filter((_, i) => !markers.includes(i))).toEqual(original)
})

test('a clean suite: nothing to change, the speed-up on the report card, exit 0', async () => {
  const root = fixture('clean')
  const result = await runCli(bin, ['migrate', '--root', root], root)
  expect(result.code).toBe(0)
  expect(result.stdout).toMatch(/as configured: +6 passed, 0 failed in \d+\.\d s/)
  expect(result.stdout).toMatch(/isolate: false: +6 passed, 0 failed in \d+\.\d s \(with vitest-isolation added\)/)
  expect(result.stdout).toMatch(/speed-up: +\d+\.\d\d×/)
  expect(result.stdout).toContain('Nothing breaks when shared.')
  expect(result.stdout).toContain('Use: test: { isolate: false }')
  expect(result.stdout).not.toContain('Markers')
})

test('a suite that fails as configured: reported as such, not as a breakage, exit 1', async () => {
  const root = fixture('baseline-fails')
  const { code, json } = await migrateJson(root)
  expect(code).toBe(1)
  expect(json).toMatchObject({
    baseline: { passed: 1, failed: 1 },
    shared: { passed: 1, failed: 1 },
    alreadyFailing: ['tests/broken.test.ts::is broken as configured'],
    changes: [],
    remaining: [],
  })
})

test('a bad argument: one line, exit 2', async () => {
  const result = await runCli(bin, ['migrate', '--write=yes'], fixture('clean'))
  expect(result.code).toBe(2)
  expect(result.stderr.trim().split('\n')).toHaveLength(1)
  expect(result.stderr).toContain("migrate: option '--write' takes no value (see 'vitest-isolation migrate --help')")
})

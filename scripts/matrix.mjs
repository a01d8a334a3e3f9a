#!/usr/bin/env node
// The compatibility matrix: the end-to-end suite (tests/e2e with its fixtures) run against the PACKED package — not the
// repository's sources — on each supported combination of Vitest, Vite and Node, each in its own empty temporary project.
//
//   npm run test:matrix                       every combination
//   npm run test:matrix -- --only vitest5     the combinations whose name contains "vitest5"
//   npm run test:matrix -- --keep             keep the temporary projects (their paths are printed)
//
// The e2e files and fixtures are copied into each project with the repository imports of the plugin and runtime
// (`../../../plugin/index.ts`, `../../../runtime/index.ts`) rewritten to the package's own names, so the suite can only
// reach the installed tarball for them; the repository folders the suite imports for its expectations (the example
// controller, report formatting, the CLI's report command) are copied beside it, never plugin/.
// Each combination also runs the packed CLI once (`vitest-isolation hunt` on a tiny generated suite), since the hunt
// drives Vitest's Node API. Node 24 comes from the npm registry's `node-<platform>-<arch>` package, installed with
// --ignore-scripts into that combination's project only; the suite then runs under that binary.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'

import { locked, NODE24, nodePackage, VITEST5 } from './versions.mjs'

const repo = resolve(import.meta.dirname, '..')

/** The combinations. `node: null` is the Node running this script (the repository's Node 20). */
const COMBINATIONS = [
  { name: 'vitest4-vite8-node20', vitest: locked('vitest'), vite: locked('vite'), node: null },
  { name: 'vitest5-vite8-node24', vitest: VITEST5, vite: locked('vite'), node: NODE24 },
  { name: 'vitest4-vite7-node20', vitest: locked('vitest'), vite: '7.3.8', node: null },
]

const args = process.argv.slice(2)
const keep = args.includes('--keep')
const onlyAt = args.indexOf('--only')
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined
for (const arg of args) {
  if (arg.startsWith('--') && !['--keep', '--only'].includes(arg)) fail(`unknown option ${arg} (use --only <name part>, --keep)`)
}
if (onlyAt >= 0 && !only) fail('--only needs a name part, e.g. --only vitest5')
const selected = COMBINATIONS.filter((c) => !only || c.name.includes(only))
if (selected.length === 0) fail(`--only ${only} matches no combination (${COMBINATIONS.map((c) => c.name).join(', ')})`)

function fail(message) {
  console.error(`[vitest-isolation] matrix: ${message}`)
  process.exit(2)
}

function run(cmd, argv, cwd) {
  return execFileSync(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' })
}

// Matches the repository-relative import of the plugin or runtime entry, in any quote style and at any depth.
const OWN_IMPORT = /(['"])((?:\.\.\/)+)(plugin|runtime)\/index\.ts\1/g
const PACKAGE_NAME = { plugin: 'vitest-isolation', runtime: 'vitest-isolation/runtime' }
// Relative paths in string literals: import specifiers, and resource modules in the fixtures' configs.
const RELATIVE_PATH = /(['"])(\.\.\/[^'"#\s]+)(?:#[^'"]*)?\1/g
// Repository folders the copied suite may import for its expectations and helpers (the example controller, report
// formatting, the CLI's report command). They are copied beside it; never plugin/, so the plugin under test is always
// the package. A fixture's own `../../../runtime/index.ts` is the package entry, rewritten above.
const HELPER_SOURCES = ['example-controller', 'runtime', 'cli']

function* files(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) yield* files(path)
    else yield path
  }
}

/**
 * Copies tests/e2e and tests/fixtures into `app`, rewriting the imports of the plugin and runtime entries to the
 * package's names, and copies the repository folders the suite still reaches into (HELPER_SOURCES). Returns those.
 */
function copySuite(app) {
  for (const folder of ['tests/e2e', 'tests/fixtures']) cpSync(join(repo, folder), join(app, folder), { recursive: true })
  const tests = join(app, 'tests')
  const reached = new Set()
  for (const file of files(tests)) {
    if (!/\.[cm]?[jt]sx?$/.test(file)) continue
    const source = readFileSync(file, 'utf8')
    const rewritten = source.replace(OWN_IMPORT, (_, quote, _up, entry) => `${quote}${PACKAGE_NAME[entry]}${quote}`)
    if (rewritten !== source) writeFileSync(file, rewritten)
    for (const [, , path] of rewritten.matchAll(RELATIVE_PATH)) {
      const target = relative(app, resolve(dirname(file), path))
      if (!relative(tests, resolve(dirname(file), path)).startsWith('..') || target.startsWith('..')) continue
      const top = target.split(/[\\/]/)[0]
      if (top === 'plugin') {
        throw new Error(`${relative(app, file)} reaches ${path}, in the repository's plugin/: only the package may stand for the plugin`)
      }
      // Anything else (the project root itself, folders the suite makes at run time) is not the repository's to copy.
      if (HELPER_SOURCES.includes(top)) reached.add(top)
    }
  }
  for (const top of reached) cpSync(join(repo, top), join(app, top), { recursive: true })
  return [...reached].sort()
}

/** The e2e project's settings, as in the repository's vitest.config.ts (e2e project). */
const E2E_CONFIG = `import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: { include: ['tests/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
})
`

/**
 * A smoke test of the packed CLI on this combination: `vitest-isolation hunt` (which drives Vitest's Node API) must find
 * the one polluter among four files. Returns an error message, or undefined when it found it.
 */
function huntSmoke(app, node) {
  const dir = join(app, 'hunt-smoke')
  mkdirSync(join(dir, 'tests'), { recursive: true })
  writeFileSync(join(dir, 'vitest.config.mjs'), "export default { test: { include: ['tests/**/*.test.js'] } }\n")
  for (let i = 0; i < 4; i++) {
    const body = i === 2 ? 'globalThis.__polluted = true' : 'expect(1).toBe(1)'
    writeFileSync(join(dir, 'tests', `f${i}.test.js`), `import { expect, test } from 'vitest'\ntest('t${i}', () => { ${body} })\n`)
  }
  writeFileSync(
    join(dir, 'tests', 'victim.test.js'),
    "import { expect, test } from 'vitest'\ntest('victim', () => { expect(globalThis.__polluted).toBeUndefined() })\n",
  )
  const bin = join(app, 'node_modules', 'vitest-isolation', 'dist', 'cli', 'index.js')
  const result = spawnSync(node, [bin, 'hunt', 'tests/victim.test.js', '--json'], { cwd: dir, encoding: 'utf8', timeout: 120_000 })
  try {
    const json = JSON.parse(result.stdout)
    const found = json.polluters?.map((p) => `${p.file} > ${p.test}`).join(', ')
    if (result.status === 0 && json.reproduced && found === 'tests/f2.test.js > t2') return undefined
    return `hunt smoke: exit ${result.status}, polluters ${found || 'none'} (expected tests/f2.test.js > t2)`
  } catch {
    return `hunt smoke: exit ${result.status}, no JSON on stdout: ${(result.stderr || result.stdout).trim().split('\n').slice(-2).join(' | ')}`
  }
}

/** Installs and runs one combination; returns its counts. */
function runCombination(combination, tarball, work) {
  const started = performance.now()
  const app = join(work, combination.name)
  mkdirSync(app, { recursive: true })
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: `matrix-${combination.name}`, private: true, type: 'module' }))
  const install = [tarball, `vitest@${combination.vitest}`, `vite@${combination.vite}`]
  // --ignore-scripts: the Node package would otherwise try to link itself globally; nothing else here needs scripts.
  const flags = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '--save-exact']
  if (combination.node) install.push(nodePackage(combination.node))
  if (combination.node) flags.push('--ignore-scripts')
  run('npm', [...flags, ...install], app)

  const node = combination.node ? join(app, 'node_modules', '.bin', 'node') : process.execPath
  const versions = {
    node: run(node, ['--version'], app).trim(),
    vitest: JSON.parse(readFileSync(join(app, 'node_modules/vitest/package.json'), 'utf8')).version,
    vite: JSON.parse(readFileSync(join(app, 'node_modules/vite/package.json'), 'utf8')).version,
  }
  if (combination.node && versions.node !== `v${combination.node}`) {
    throw new Error(`${combination.name}: expected Node v${combination.node}, the installed binary says ${versions.node}`)
  }

  const helpers = copySuite(app)
  writeFileSync(join(app, 'vitest.config.ts'), E2E_CONFIG)
  const output = join(app, 'e2e-results.json')
  const result = spawnSync(
    node,
    ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${output}`],
    { cwd: app, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, FORCE_COLOR: '0' } },
  )
  let counts = { passed: 0, failed: 0, skipped: 0, total: 0 }
  try {
    const json = JSON.parse(readFileSync(output, 'utf8'))
    counts = {
      passed: json.numPassedTests,
      failed: json.numFailedTests,
      skipped: json.numPendingTests + json.numTodoTests,
      total: json.numTotalTests,
    }
  } catch {
    // No JSON: Vitest failed before reporting; the exit code below says so.
  }
  const hunt = huntSmoke(app, node)
  console.log(hunt ? `[vitest-isolation] matrix: ${hunt}` : 'hunt smoke: the packed CLI found the polluter')
  const ok = result.status === 0 && counts.failed === 0 && counts.passed > 0 && !hunt
  return { ...combination, versions, helpers, counts, hunt: !hunt, ok, seconds: (performance.now() - started) / 1000, app }
}

const work = mkdtempSync(join(tmpdir(), 'vitest-isolation-matrix-'))
const results = []
try {
  // One fresh build and tarball for every combination: the same bytes a user would install.
  run('npm', ['run', 'build', '--silent'], repo)
  const [{ filename }] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], repo))
  const tarball = join(work, filename)
  for (const combination of selected) {
    console.log(`\n=== matrix: ${combination.name} (vitest ${combination.vitest}, vite ${combination.vite}, node ${combination.node ?? process.version})`)
    try {
      results.push(runCombination(combination, tarball, work))
    } catch (error) {
      console.error(`[vitest-isolation] matrix: ${combination.name} could not run: ${error.message}`)
      results.push({ ...combination, ok: false, counts: { passed: 0, failed: 0, skipped: 0, total: 0 }, helpers: [], error: error.message })
    }
  }
} finally {
  if (keep) console.log(`\nkept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}

console.log('\n=== compatibility matrix (e2e suite against the packed package)')
for (const r of results) {
  const versions = r.versions ? `vitest ${r.versions.vitest} + vite ${r.versions.vite} on node ${r.versions.node}` : 'not installed'
  const counts =
    `e2e ${r.counts.passed} passed, ${r.counts.failed} failed${r.counts.skipped ? `, ${r.counts.skipped} skipped` : ''}` +
    `; hunt smoke ${r.hunt ? 'ok' : 'FAILED'}`
  const time = r.seconds ? ` in ${r.seconds.toFixed(0)} s` : ''
  const note = r.helpers.length ? ` (helpers from repository sources: ${r.helpers.join(', ')})` : ''
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}: ${versions}: ${counts}${time}${note}${r.error ? ` — ${r.error}` : ''}`)
}
const failedCombinations = results.filter((r) => !r.ok).length
const sum = (key) => results.reduce((total, r) => total + r.counts[key], 0)
const hunts = results.filter((r) => r.hunt).length
// The plain closing line CI reads: every combination's e2e tests and hunt smoke tests together.
console.log(`\nmatrix: ${sum('passed') + hunts} passed, ${sum('failed') + results.length - hunts} failed`)
if (failedCombinations > 0) {
  console.error(`[vitest-isolation] matrix: ${failedCombinations} of ${results.length} combinations failed`)
  process.exit(1)
}

#!/usr/bin/env node
// `npm run bench`: the suite benchmark (generated suites, every configuration interleaved, medians of whole-process wall
// time) plus the other benchmarks of the repository, written to bench/results.md and bench/results.json.
//
//   npm run bench                   the full run, in under 10 minutes on 2 cores: the 120-file suite with every
//                                   configuration (3 interleaved rounds), the other benchmarks, the 120-file suite on
//                                   Vitest 5 and Node 24 (installed from the npm registry into bench/results/tmp/;
//                                   skipped, with a note, when that fails), then as much of the 600-file suite as the
//                                   time budget leaves (configurations and rounds planned from the 120-file medians;
//                                   skipped, with a note, when not even one round fits)
//   npm run bench -- --budget 1200  a longer budget in seconds (default 560), e.g. for more of the 600-file suite
//   npm run bench -- --quick        a tiny suite, one run each, to prove the harness works (CI); writes to bench/results/tmp/
//   npm run bench -- --no-siblings  only the suite benchmark
//   npm run bench -- --keep         keep the generated suites (in bench/results/tmp/)
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { toMarkdown } from './report.mjs'
import { runSiblings } from './siblings.mjs'
import { CONFIGS } from './suite/configs.mjs'
import { SCHEME_KINDS } from './suite/generate.mjs'
import { runSuite } from './suite/index.mjs'
import { planLarge } from './suite/plan.mjs'
import { locked, NODE24, nodePackage, VITEST5 } from '../scripts/versions.mjs'

const repo = resolve(import.meta.dirname, '..')
const args = process.argv.slice(2)
const FLAGS = ['--quick', '--no-siblings', '--keep']
const fail = (message) => {
  console.error(`[vitest-isolation] bench: ${message}`)
  process.exit(2)
}
let budgetS = 560
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--budget') {
    budgetS = Number(args[++i])
    if (!(budgetS > 0)) fail(`--budget needs a number of seconds, got ${args[i]}`)
  } else if (!FLAGS.includes(args[i])) fail(`unknown option ${args[i]} (known: ${FLAGS.join(', ')}, --budget <seconds>)`)
}
const quick = args.includes('--quick')
const keep = args.includes('--keep')
const log = (line) => console.log(line)
const started = performance.now()
const elapsedS = () => (performance.now() - started) / 1000

const ALL = CONFIGS.map((c) => c.id)
// 120 files: every configuration, 3 rounds. 600 files: planned from the 120-file medians (see suite/plan.mjs).
const SMALL = quick
  ? { name: '6 files × 5 tests (quick)', files: 6, tests: 5, reps: 1, configs: ALL, warmup: [] }
  : { name: '120 files × 10 tests', files: 120, tests: 10, reps: 3, configs: ALL, warmup: ['floor'] }
const LARGE = quick
  ? { name: '12 files × 5 tests (quick)', files: 12, tests: 5, maxReps: 1 }
  : { name: '600 files × 10 tests', files: 600, tests: 10, maxReps: 3 }

const packageVersion = (name) => JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8')).version

// The plugin as users get it: the built package (`dist/`), which the hunt benchmark needs too.
log('building dist/ (npm run build)')
const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] })
const plugin = join(repo, 'dist', 'plugin', 'index.js')
if (!existsSync(plugin)) {
  console.error(`[vitest-isolation] bench: npm run build left no ${plugin}; fix the build first`)
  process.exit(1)
}
if (build.status !== 0) log(`warning: npm run build exited ${build.status}, but emitted dist/; measuring what it emitted`)

const tmp = join(repo, 'bench', 'results', 'tmp')
mkdirSync(tmp, { recursive: true })
// Installed where an app has it: in a node_modules folder above the generated projects, so Vitest loads the runtime the way
// it does for users (externalized, by Node) instead of through its module runner as it would from the repository's dist/.
// The projects get a package scope of their own: inside the repository's, Node would resolve `vitest-isolation` to the
// repository itself (a package importing its own name), not to node_modules.
writeFileSync(join(tmp, 'package.json'), `${JSON.stringify({ name: 'vitest-isolation-bench-suites', private: true, type: 'module' }, null, 2)}\n`)
function installPlugin(projects) {
  const installed = join(projects, 'node_modules', 'vitest-isolation')
  rmSync(installed, { recursive: true, force: true })
  mkdirSync(installed, { recursive: true })
  cpSync(join(repo, 'dist'), join(installed, 'dist'), { recursive: true })
  cpSync(join(repo, 'package.json'), join(installed, 'package.json'))
}
installPlugin(tmp)
const paths = { repo, plugin: 'vitest-isolation', tmp, vitest: join(repo, 'node_modules', 'vitest', 'vitest.mjs') }
const suites = [runSuite({ ...SMALL, keep }, paths, log)]

let siblings = []
if (args.includes('--no-siblings')) log('other benchmarks: skipped (--no-siblings)')
else {
  log('other benchmarks:')
  siblings = runSiblings(repo, log)
}

// Vitest 5 on Node 24: its on-disk transform cache (`fsModuleCache`, on by default) and Node 24's AsyncLocalStorage change
// the picture. The configurations of the speed targets, in a project of its own with Vitest 5, the locked Vite and a
// Node 24 binary from the npm registry, and the plugin copied in as above.
const VITEST5_CONFIGS = ['floor', 'bare-off', 'bare', 'extend', 'marked', 'ctx', 'ctx-nojournal']
function vitest5Paths() {
  const dir = join(tmp, 'vitest5')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'vitest-isolation-bench-vitest5', private: true, type: 'module' }, null, 2)}\n`)
  const packages = [`vitest@${VITEST5}`, `vite@${locked('vite')}`, nodePackage(NODE24)]
  // --ignore-scripts: the Node package would otherwise try to link itself globally; nothing else here needs scripts.
  const flags = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '--no-save', '--ignore-scripts']
  const install = spawnSync('npm', [...flags, ...packages], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
  if (install.status !== 0) return { skip: `npm install ${packages.join(' ')} failed: ${(install.stderr ?? '').trim().split('\n').pop()}` }
  installPlugin(dir)
  const node = join(dir, 'node_modules', '.bin', 'node')
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim()
  const vitest = JSON.parse(readFileSync(join(dir, 'node_modules', 'vitest', 'package.json'), 'utf8')).version
  return { paths: { ...paths, tmp: dir, node, vitest: join(dir, 'node_modules', 'vitest', 'vitest.mjs') }, versions: { node: version, vitest } }
}
if (!quick) {
  const name = `120 files × 10 tests, Vitest ${VITEST5} on Node ${NODE24}`
  const v5 = vitest5Paths()
  if (v5.skip) {
    log(`suite ${name}: skipped — ${v5.skip}`)
    suites.push({ name, files: 120, tests: 10, skipped: v5.skip })
  } else {
    // Every configuration warms up once: each project's transform cache is full, as on a developer's second run.
    const result = runSuite({ name, files: 120, tests: 10, reps: 3, configs: VITEST5_CONFIGS, warmup: VITEST5_CONFIGS, keep }, v5.paths, log)
    const note = `Vitest ${v5.versions.vitest}, Node ${v5.versions.node}: the configurations of the speed targets, with the transform cache on (the default) and filled by one unmeasured run of each.`
    suites.push({ ...result, note })
  }
}

{
  const { maxReps, ...large } = LARGE
  const plan = planLarge(suites[0], { files: large.files, remainingS: budgetS - elapsedS(), maxReps })
  if (plan.skip) {
    log(`suite ${large.name}: skipped — ${plan.skip}`)
    suites.push({ ...large, skipped: plan.skip })
  } else {
    log(`suite ${large.name}: ${plan.configs.join(', ')} × ${plan.reps} rounds (estimated ${plan.estimateS} s)`)
    const deadlineMs = started + budgetS * 1000
    const result = runSuite({ ...large, configs: plan.configs, reps: plan.reps, warmup: [], keep, deadlineMs, costS: plan.costS }, paths, log)
    const note = `Configurations and rounds: what the time budget left after the suite above and the other benchmarks (\`--budget\` for more).`
    suites.push({ ...result, note })
  }
}

const results = {
  date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  quick,
  seconds: Math.round(elapsedS()),
  budgetS,
  machine: {
    cpu: os.cpus()[0]?.model ?? 'unknown CPU',
    cores: os.cpus().length,
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  },
  versions: {
    node: process.version,
    vitest: packageVersion('vitest'),
    vite: packageVersion('vite'),
    plugin: JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version,
  },
  schemeKinds: SCHEME_KINDS,
  suites,
  siblings,
}

// The committed results come from full runs only; a quick run writes beside the generated suites.
const out = quick ? join(tmp, 'quick-results') : join(repo, 'bench', 'results')
writeFileSync(`${out}.json`, `${JSON.stringify(results, null, 2)}\n`)
writeFileSync(`${out}.md`, toMarkdown(results))
log(`\n${toMarkdown(results)}`)
// The journal's share (results.json has it per suite, with the paired ratios of every round).
for (const suite of suites) {
  for (const pair of suite.journal ?? []) {
    const paired = pair.pairedOnOverOff.length ? `; per round ${pair.pairedOnOverOff.join(', ')}` : ''
    log(`journal, ${suite.name}, ${pair.name}: on ${(pair.medianOnMs / 1000).toFixed(2)} s, off ${(pair.medianOffMs / 1000).toFixed(2)} s, on/off ${pair.onOverOff}×${paired}`)
  }
}
log(`written: ${out}.md and ${out}.json (${results.seconds} s)`)

const failedRuns = suites.flatMap((s) => (s.configs ?? []).flatMap((c) => c.failures))
if (failedRuns.length > 0) {
  console.error(`[vitest-isolation] bench: ${failedRuns.length} suite run(s) failed (see the failures above)`)
  process.exit(1)
}

// Benchmark of `vitest-isolation hunt`: Vitest runs and wall time to find one polluter among 200 files, and among 1,000
// tests (50 files × 20 tests), with 1 and 2 workers, next to the ⌈log2 N⌉ runs of plain bisection (detect-test-pollution).
//
//   npm run build && node bench/hunt.bench.mjs
//
// (If other folders do not compile yet, `npx tsc -p tsconfig.build.json` still emits dist/cli/; or run the hunt tests once,
// their global setup builds it.) Suites are generated in a temporary directory and removed afterwards.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('..', import.meta.url))
const cli = path.join(repo, 'dist/cli/index.js')
if (!fs.existsSync(cli)) {
  console.error('[vitest-isolation] bench: dist/cli/index.js is missing; run `npm run build` first')
  process.exit(1)
}

/** Writes `files` test files of `tests` tests; test `pollute[1]` of file `pollute[0]` sets a global the victim checks. */
function suite(files, tests, pollute) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vi-hunt-bench-'))
  fs.mkdirSync(path.join(root, 'tests'))
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(root, 'node_modules'), 'dir')
  fs.writeFileSync(path.join(root, 'vitest.config.mjs'), "export default { test: { include: ['tests/**/*.test.js'] } }\n")
  for (let f = 0; f < files; f++) {
    const body = Array.from({ length: tests }, (_, t) => {
      const statement = f === pollute[0] && t === pollute[1] ? 'globalThis.__polluted = true' : `expect(${t}).toBe(${t})`
      return `  test('test ${t}', () => { ${statement} })`
    })
    const source = `import { describe, expect, test } from 'vitest'\ndescribe('f${f}', () => {\n${body.join('\n')}\n})\n`
    fs.writeFileSync(path.join(root, `tests/f${String(f).padStart(4, '0')}.test.js`), source)
  }
  fs.writeFileSync(
    path.join(root, 'tests/victim.test.js'),
    "import { expect, test } from 'vitest'\ntest('victim', () => { expect(globalThis.__polluted).toBeUndefined() })\n",
  )
  return root
}

function hunt(root, workers) {
  const started = performance.now()
  const result = spawnSync(process.execPath, [cli, 'hunt', 'tests/victim.test.js', '--workers', String(workers), '--json'], {
    cwd: root,
    encoding: 'utf8',
  })
  const ms = performance.now() - started
  if (result.status !== 0) throw new Error(`hunt failed (exit ${result.status}):\n${result.stderr}`)
  const json = JSON.parse(result.stdout)
  const rounds = Math.max(0, ...[...result.stderr.matchAll(/^(?:\[vitest-isolation\] hunt: )?round (\d+):/gm)].map((m) => Number(m[1])))
  return { json, ms, rounds }
}

const scenarios = [
  { name: '200 files × 1 test', files: 200, tests: 1, pollute: [137, 0], units: 200 },
  { name: '50 files × 20 tests', files: 50, tests: 20, pollute: [31, 13], units: 1000 },
]

const rows = []
for (const scenario of scenarios) {
  const root = suite(scenario.files, scenario.tests, scenario.pollute)
  try {
    for (const workers of [1, 2]) {
      const { json, ms, rounds } = hunt(root, workers)
      rows.push({
        suite: scenario.name,
        workers,
        polluter: `${json.polluters[0].file} > ${json.polluters[0].test}`,
        runs: json.runs,
        // the total less the 2 verification runs and the 1 replay check
        search: json.runs - 3,
        rounds,
        'bisection runs': Math.ceil(Math.log2(scenario.units)),
        'wall s': (ms / 1000).toFixed(1),
      })
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true })
  }
}
console.log(`node ${process.version}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown cpu'})`)
console.table(rows)

// Runs one generated project as its own `vitest run` process and measures the whole process's wall time — start-up,
// config loading, transforms, workers, tests and teardown — as a user waiting for `vitest run` sees it.
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

/**
 * Runs Vitest on the project in `dir` and returns `{ ms, passed, failed, ok, error }`. `vitest` is the path of
 * `vitest.mjs`; `expected` the number of tests that must pass for the sample to count.
 */
export function measureRun({ dir, vitest, expected, resultFile, node = process.execPath, timeoutMs = 600_000 }) {
  rmSync(resultFile, { force: true })
  const started = performance.now()
  const child = spawnSync(
    node,
    [vitest, 'run', '--root', dir, '--reporter=json', `--outputFile.json=${resultFile}`],
    // No colours, no TTY: every configuration pays the same for output. CI is left as the caller has it.
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1' } },
  )
  const ms = performance.now() - started
  let passed = 0
  let failed = 0
  try {
    const json = JSON.parse(readFileSync(resultFile, 'utf8'))
    passed = json.numPassedTests
    failed = json.numFailedTests
  } catch {
    // No report: Vitest failed before writing it; the exit status below says so.
  }
  const ok = child.status === 0 && failed === 0 && passed === expected
  const stderr = (child.stderr ?? '').trim().split('\n').slice(-5).join('\n')
  const error = ok
    ? undefined
    : child.error
      ? String(child.error.message)
      : `exit ${child.status}, ${passed}/${expected} passed, ${failed} failed${stderr ? `: ${stderr}` : ''}`
  return { ms, passed, failed, ok, error }
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values) {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Where a configuration's JSON result goes: beside, not inside, the generated project (it is not a source file). */
export function resultFileFor(suiteDir, configId) {
  return join(suiteDir, `${configId}.result.json`)
}

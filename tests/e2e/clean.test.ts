/**
 * End-to-end: the clean corpus (tests/fixtures/clean/) — concurrency, test.for/test.each, test.extend, vi.mock, fake
 * timers, beforeEach-assigned bindings, helper constants passed to resources, retries — makes zero findings, in every
 * pool and with either retention mode. The example controller's own tests (the unit project) run under the plugin too.
 */
import { resolve } from 'node:path'
import { expect, test } from 'vitest'
import { runReported } from './findings.ts'
import { FIXTURES } from './helpers.ts'

test.for([
  ['forks', 'file'],
  ['threads', 'file'],
  ['vmThreads', 'file'],
  ['forks', 'test'],
] as const)('pool %s, retention %s: every test passes and nothing is found', async ([pool, retention]) => {
  const run = await runReported(resolve(FIXTURES, 'clean'), { test: { pool }, env: { E2E_ISOLATION_RETENTION: retention } })
  const outcomes = Object.values(run.tests)
  expect(outcomes).toHaveLength(17)
  expect({ failed: outcomes.filter((o) => o.state !== 'passed'), errors: run.errors, unhandled: run.unhandled }).toEqual({
    failed: [],
    errors: {},
    unhandled: [],
  })
  expect(run.report.findings).toEqual([])
  expect(run.report.summary).toMatchObject({ files: 4, tests: 17, isolatedTests: 8, findings: 0 })
  expect(run.output).toContain('[vitest-isolation] no findings (17 tests in 4 files, 8 isolated tests)')
})

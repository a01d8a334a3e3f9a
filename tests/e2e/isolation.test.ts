/**
 * End-to-end: isolation through real Vitest runs of the fixture projects (state per test, checked in the fixtures
 * themselves; here the whole tree must pass).
 */
import { describe, expect, test } from 'vitest'
import { runFixture, states } from './helpers.ts'

function passedAll(result: Awaited<ReturnType<typeof runFixture>>): void {
  const failed = Object.entries(result.tests).filter(([, outcome]) => outcome.state !== 'passed')
  expect({ failed, errors: result.errors, unhandled: result.unhandled }).toEqual({ failed: [], errors: {}, unhandled: [] })
}

describe('100 concurrent interleaving tests', () => {
  test('each get their own binding values and resources, run after run (one run per pool)', async () => {
    for (const pool of ['forks', 'threads', 'vmThreads'] as const) {
      const result = await runFixture('concurrent', { test: { pool } })
      expect(Object.keys(result.tests)).toHaveLength(101)
      passedAll(result)
    }
  })

  test('fail without the plugin (the fixture can fail)', async () => {
    const result = await runFixture('concurrent', { config: 'without-plugin.config.ts' })
    const failed = Object.entries(result.tests).filter(([, outcome]) => outcome.state === 'failed')
    expect(failed).toHaveLength(101)
    // All but the last writer read another test's value.
    const sawLastWriter = failed.filter(([, outcome]) => outcome.errors[0]?.includes("owner: 'test 99'"))
    expect(sawLastWriter).toHaveLength(99)
  })
})

test('async factories are created before beforeEach and disposed after afterEach, in reverse order', async () => {
  const result = await runFixture('lifecycle')
  expect(states(result)).toEqual({
    'order.test.ts > lifecycle > first': 'passed',
    'order.test.ts > lifecycle > second': 'passed',
    'order.test.ts > async resources are created before beforeEach, disposed after afterEach in reverse order': 'passed',
  })
  passedAll(result)
})

test('vi.mock hoisting and fake timers keep working with markers', async () => {
  const result = await runFixture('vi-mock')
  expect(states(result)).toEqual({
    'mocked.test.ts > a marked binding initializer sees the mocked module': 'passed',
    'mocked.test.ts > a resource built from a mocked module is mocked too': 'passed',
    'mocked.test.ts > fake timers run callbacks in the test that scheduled them': 'passed',
    'mocked.test.ts > the next test starts from the initializer again': 'passed',
  })
})

test('test.extend fixtures keep working next to resources', async () => {
  const result = await runFixture('extend')
  expect(states(result)).toEqual({
    'extended.test.ts > fixtures and resources share the test': 'passed',
    'extended.test.ts > in a marked suite > gets a fresh ledger': 'passed',
    'extended.test.ts > in a marked suite > and concurrent extended tests too': 'passed',
    'extended.test.ts > an unmarked extended test keeps its fixtures': 'passed',
  })
})

test('it.each, test.for and describe.each cases each get their own instances', async () => {
  const result = await runFixture('each-for')
  expect(states(result)).toEqual({
    'cases.test.ts > each 1': 'passed',
    'cases.test.ts > each 2': 'passed',
    'cases.test.ts > each 3': 'passed',
    'cases.test.ts > for 4': 'passed',
    'cases.test.ts > for 5': 'passed',
    'cases.test.ts > suite a > gets its own tray': 'passed',
    'cases.test.ts > suite b > gets its own tray': 'passed',
    'cases.test.ts > an unmarked test gets its own resource from its context too, on first access': 'passed',
    'cases.test.ts > every case had its own instances': 'passed',
  })
})

test('every retry and every repeat starts from fresh instances', async () => {
  const result = await runFixture('retries')
  expect(states(result)).toEqual({
    'attempts.test.ts > each retry starts from fresh instances': 'passed',
    'attempts.test.ts > each repeat starts from fresh instances': 'passed',
    'attempts.test.ts > the retried and repeated tests ran three times each': 'passed',
  })
  // Only the failures the test throws on purpose: no attempt saw the previous attempt's instances.
  expect(result.tests['attempts.test.ts > each retry starts from fresh instances']).toEqual({
    state: 'passed',
    errors: ['attempt 1 fails on purpose', 'attempt 2 fails on purpose'],
    retries: 2,
  })
})

test('resource modules resolve through Vite aliases, and re-exports lead to the defining module', async () => {
  const result = await runFixture('options', { config: 'alias.config.ts' })
  expect(states(result)).toEqual({ 'thing.test.ts > an aliased resource module resolves': 'passed' })
})

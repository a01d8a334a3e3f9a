/**
 * End-to-end: the behaviour-preservation corpus (tests/fixtures/preserve/). Its tests are ordinary tests of library-like
 * code — fluent builders, private fields and brand checks, weak registries, clones, frozen objects, promise subclasses,
 * trimmed stacks, emitters, class resources, JSX pragmas — written to pass with plain Vitest. With the plugin (every
 * factory export a resource, every top-level binding marked, `mode: 'all'`) each of them must have the same outcome, in
 * every pool: tracking never changes behaviour.
 */
import { expect, test } from 'vitest'
import { runFixture, states, type RunResult } from './helpers.ts'

/**
 * How many tests the corpus has. A plain run must pass exactly this many, so the corpus cannot shrink (a file that stops
 * being collected, a test deleted) without this number changing with it.
 */
const CORPUS_TESTS = 104

/** A run's outcome in the form compared: states by test, plus anything that went wrong outside tests. */
function outcome(run: RunResult): { states: Record<string, string>; errors: Record<string, string[]>; unhandled: string[] } {
  return { states: states(run), errors: run.errors, unhandled: run.unhandled }
}

/** The failures of a run, with their messages, so a mismatch says what broke and not only which test. */
function failures(run: RunResult): Record<string, string[]> {
  return Object.fromEntries(Object.entries(run.tests).filter(([, o]) => o.state !== 'passed').map(([key, o]) => [key, o.errors]))
}

test.for(['forks', 'threads', 'vmThreads'] as const)('pool %s: every test has the same outcome with the plugin as without it', async (pool) => {
  const plain = await runFixture('preserve', { config: 'vitest.plain.config.ts', test: { pool } })
  // The corpus itself is sound: every test passes without the plugin, and none is missing.
  expect({ count: Object.keys(plain.tests).length, failures: failures(plain), errors: plain.errors, unhandled: plain.unhandled }).toEqual({
    count: CORPUS_TESTS,
    failures: {},
    errors: {},
    unhandled: [],
  })

  const isolated = await runFixture('preserve', { test: { pool } })
  // Failures first, with their errors: the readable part of a mismatch.
  expect({ failures: failures(isolated), errors: isolated.errors, unhandled: isolated.unhandled }).toEqual({
    failures: {},
    errors: {},
    unhandled: [],
  })
  expect(outcome(isolated)).toEqual(outcome(plain))
})

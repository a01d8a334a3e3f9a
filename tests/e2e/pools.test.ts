/**
 * End-to-end: the same fixture under every pool, with `isolate: true` and `false`.
 */
import { expect, test } from 'vitest'
import { runFixture, states } from './helpers.ts'

const EXPECTED = {
  'a.test.ts > file a > writes to its own widgets': 'passed',
  'a.test.ts > file a > does not see the previous test': 'passed',
  'b.test.ts > a file marker isolates every test': 'passed',
  'b.test.ts > assignments stay in their test': 'passed',
}

test.for([
  ['forks', true],
  ['forks', false],
  ['threads', true],
  ['threads', false],
  ['vmThreads', true],
  ['vmThreads', false],
] as const)('pool %s with isolate: %s', async ([pool, isolate]) => {
  const result = await runFixture('pools', { test: { pool, isolate } })
  expect({ states: states(result), errors: result.errors, unhandled: result.unhandled }).toEqual({
    states: EXPECTED,
    errors: {},
    unhandled: [],
  })
})

test('sequence.concurrent: every test of every file runs concurrently and still gets its own values', async () => {
  const result = await runFixture('pools', { test: { sequence: { concurrent: true } } })
  expect({ states: states(result), errors: result.errors, unhandled: result.unhandled }).toEqual({
    states: EXPECTED,
    errors: {},
    unhandled: [],
  })
})

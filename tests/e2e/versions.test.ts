/**
 * End-to-end: behaviour that differs between the Vitest versions the plugin supports, checked on whichever version runs
 * this suite (the compatibility matrix, `npm run test:matrix`, runs it on Vitest 4 and 5).
 *
 * `clearMocks` defaults to false in Vitest 4 and to true in Vitest 5. A module-level mock's call record keeps what a
 * test passed to it alive — a `retained` finding — only while the record is kept; once Vitest clears it after the test,
 * reporting it would be a false positive.
 */
import { resolve } from 'node:path'
import { version } from 'vitest/node'
import { describe, expect, test } from 'vitest'
import { brief, runReported, type BriefFinding } from './findings.ts'
import { FIXTURES, states } from './helpers.ts'

const RECORD = resolve(FIXTURES, 'mock-record')

const RETAINED_BY_MOCK: BriefFinding = {
  kind: 'retained',
  resource: 'holder',
  object: 'Holder#1',
  origin: 'passes its holder to a module-level mock (record.test.ts:7)',
  retainedBy: 'module binding `onEvent` (record.test.ts:5) → .mock → .calls → Array[0] → Array[0]',
}

async function findingsWith(clearMocks: boolean | undefined): Promise<BriefFinding[]> {
  const run = await runReported(RECORD, clearMocks === undefined ? {} : { test: { clearMocks } })
  expect(states(run)).toEqual({
    'record.test.ts > passes its holder to a module-level mock': 'passed',
    'record.test.ts > a later test': 'passed',
  })
  return brief(run.report)
}

describe('clearMocks', () => {
  test('false: the call record keeps the test’s object, and that is reported', async () => {
    expect(await findingsWith(false)).toEqual([RETAINED_BY_MOCK])
  })

  test('true: the record is cleared after the test, so nothing is retained', async () => {
    expect(await findingsWith(true)).toEqual([])
  })

  test(`the running Vitest's default (${version}: clearMocks ${Number(version.split('.')[0]) >= 5})`, async () => {
    const clearsByDefault = Number(version.split('.')[0]) >= 5
    expect(await findingsWith(undefined)).toEqual(clearsByDefault ? [] : [RETAINED_BY_MOCK])
  })
})

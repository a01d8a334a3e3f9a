/**
 * End-to-end: objects that travel from one test to another through module variables (tests/fixtures/travel/) — the
 * controller-runtime trap, in one file and across two files — and the objects several tests share by design (a helper
 * module's constants, frozen objects, what module scope and `beforeAll` made, each test's own), which are no finding.
 */
import { resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { formatFinding, type Finding } from '../../runtime/report/index.ts'
import { brief, runReported, type BriefFinding, type ReportedRun } from './findings.ts'
import { FIXTURES } from './helpers.ts'

const fixture = resolve(FIXTURES, 'travel')

const ONE_FILE: BriefFinding = {
  kind: 'foreign-object',
  concurrent: false,
  object: 'Machine default/ms-1',
  origin: 'machines > creates a machine (one-file.test.ts:10) via api.create',
  observedIn: ['machines > creates the machine the first test made (one-file.test.ts:18) via api.create'],
}

const ACROSS_FILES: BriefFinding = {
  kind: 'foreign-object',
  concurrent: false,
  object: 'Machine default/ms-2',
  origin: 'a creates a machine and hands it over (cross-a.test.ts:7) via api.create',
  observedIn: ['b creates what a handed over (cross-b.test.ts:7) via api.create'],
}

function passedAll(run: ReportedRun): void {
  expect(Object.entries(run.tests).filter(([, outcome]) => outcome.state !== 'passed')).toEqual([])
  expect(run.errors).toEqual({})
}

/** The one finding of a run, checked in brief, with its hint and its console block. */
function onlyFinding(run: ReportedRun, expected: BriefFinding): Finding {
  expect(brief(run.report)).toEqual([expected])
  const [finding] = run.report.findings
  expect(run.output).toContain(`[vitest-isolation] 1 finding: 1 foreign-object`)
  expect(run.output).toContain(`1. ${formatFinding(finding)}\n`)
  return finding
}

describe('an object one test made and left in a module variable, passed on by another test', () => {
  test('in one file: a module-level `let`', async () => {
    const run = await runReported(fixture, { files: ['one-file'] })
    // The second test passes because it expects its create to be refused (the object has a resourceVersion): the finding says why.
    passedAll(run)
    const finding = onlyFinding(run, ONE_FILE)
    expect(finding.hint).toBe(
      'Machine default/ms-1 belongs to test "machines > creates a machine", which left it in module binding `created` ' +
        '(one-file.test.ts:6): create it in the test that uses it (or in beforeEach) instead of passing it on through that ' +
        'variable; freeze it if it is a constant.',
    )
    expect(run.output).toMatch(
      /origin: {6}"machines > creates a machine" \(one-file\.test\.ts:10(?::3)?\) via api\.create\n {2}seen in: {5}"machines > creates the machine the first test made" \(one-file\.test\.ts:18(?::\d+)?\) via api\.create\n/,
    )
  })

  test('across two files: a helper module’s object both files import', async () => {
    const run = await runReported(fixture, { files: ['cross-'] })
    passedAll(run)
    const finding = onlyFinding(run, ACROSS_FILES)
    expect(finding.hint).toBe(
      'Machine default/ms-2 belongs to test "a creates a machine and hands it over", which left it in module binding ' +
        '`handover` (cross-a.test.ts:4): create it in the test that uses it (or in beforeEach) instead of passing it on ' +
        'through that variable; freeze it if it is a constant.',
    )
  })

  test('the whole fixture: one finding per object that traveled, none from the clean file', async () => {
    const run = await runReported(fixture)
    passedAll(run)
    expect(Object.keys(run.tests)).toHaveLength(16)
    expect(brief(run.report)).toEqual([ACROSS_FILES, ONE_FILE])
    expect(run.report.summary.byKind).toEqual({ 'shared-instance': 0, 'foreign-object': 2, retained: 0, 'global-mutation': 0 })
  })
})

test('helper constants, frozen objects, what module scope and beforeAll made, and each test’s own objects: no finding', async () => {
  const run = await runReported(fixture, { files: ['clean'] })
  passedAll(run)
  expect(Object.keys(run.tests)).toHaveLength(12)
  expect(run.report.findings).toEqual([])
  expect(run.output).toContain('[vitest-isolation] no findings (12 tests in 1 file, 12 isolated tests)')
})

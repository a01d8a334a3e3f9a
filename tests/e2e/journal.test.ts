/**
 * End-to-end: the state journal with nothing declared (tests/fixtures/journal/), through real Vitest runs with
 * `isolate: false` — the likely causes a failing test gets (meta, annotation, console, JSON report), the grouped
 * `global-mutation` findings of hooks and module evaluations, and silence on suites whose state changes harm no one.
 */
import { resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import type { Place, StateChange } from '../../runtime/report/index.ts'
import { brief, runReported } from './findings.ts'
import { FIXTURES, states } from './helpers.ts'

const fixture = (name: string): string => resolve(FIXTURES, 'journal', name)

/** A change in one line: who, what, how. */
function line(change: StateChange): string {
  const who = change.by.test ?? (change.by.hook ? `${change.by.hook} of ${change.by.suite ?? 'the file'}` : 'module')
  const where = change.module ? ` @${change.module}` : ''
  return `${who}: ${change.change} ${change.state}${where} ${change.before ?? ''} -> ${change.after ?? ''} x${change.tests}`
}

function at(place: Place): string {
  return `${place.file}:${place.line ?? '?'}`
}

describe('a failing test gets the earlier test and the exact state it left changed', () => {
  test('a config kept on globalThis, changed in place by a test of another file', async () => {
    const run = await runReported(fixture('config-leak'))
    expect(states(run)).toEqual({
      'tests/a-locale.test.ts > switches the locale': 'passed',
      'tests/a-locale.test.ts > counts and memoizes': 'passed',
      'tests/b-format.test.ts > formats in the default locale': 'failed',
      'tests/b-format.test.ts > uses the helpers': 'passed',
    })
    // The counter and the memo cache the earlier test also changed look like bookkeeping, next to a changed value.
    expect(run.report.failures?.map((f) => ({ test: at(f.test), causes: f.causes.map(line) }))).toEqual([
      {
        test: 'tests/b-format.test.ts:5',
        causes: ['switches the locale: changed globalThis.__app_config.locale "en" -> "es" x1'],
      },
    ])
    const cause = run.report.failures![0].causes[0]
    expect(at(cause.by)).toBe('tests/a-locale.test.ts:5')
    // Next to the failure: the annotation (the default reporter prints it under the error; the UI, HTML and GitHub
    // reporters show it too), and after the run the journal's block.
    expect(run.annotations).toEqual({
      'tests/b-format.test.ts > formats in the default locale': [
        [
          '[vitest-isolation] this test ran after state that earlier tests left changed; likely causes:',
          '  - earlier test "switches the locale" (tests/a-locale.test.ts:5:1) changed `globalThis.__app_config.locale` ("en" → "es") and did not restore it',
          "  confirm with: npx vitest-isolation hunt 'tests/b-format.test.ts::formats in the default locale'",
        ].join('\n'),
      ],
    })
    expect(run.output).toContain(
      [
        '[vitest-isolation] 1 failed test ran after state that earlier tests left changed:',
        '',
        '  formats in the default locale (tests/b-format.test.ts:5)',
        '    - earlier test "switches the locale" (tests/a-locale.test.ts:5:1) changed `globalThis.__app_config.locale` ("en" → "es")',
      ].join('\n'),
    )
    // Nothing was isolated, so nothing is a finding.
    expect(run.report.findings).toEqual([])
  })

  test('a counter and a cache in a source module', async () => {
    const run = await runReported(fixture('module-state'))
    expect(states(run)).toEqual({
      'tests/a-signup.test.ts > signs up ada': 'passed',
      'tests/b-first-user.test.ts > the first user gets id 1': 'failed',
      'tests/b-first-user.test.ts > one user is known': 'failed',
    })
    const causes = Object.fromEntries(run.report.failures!.map((f) => [f.test.test, f.causes.map(line)]))
    expect(causes['the first user gets id 1']).toEqual([
      'signs up ada: changed nextId @src/users.ts:2 1 -> 2 x1',
      'signs up ada: changed byName @src/users.ts:3 0 entries -> 1 entry x1',
    ])
    // The second failure follows its own file's first test, which changed the same state again.
    expect(causes['one user is known']).toEqual([
      'the first user gets id 1: changed nextId @src/users.ts:2 2 -> 3 x1',
      'the first user gets id 1: changed byName @src/users.ts:3 1 entry -> 2 entries x1',
    ])
  })
})

describe('global-mutation: one finding per state and origin', () => {
  test("a beforeEach of a 20-test describe, a beforeAll, a file's top level; a restorer and a dependency are not blamed", async () => {
    const run = await runReported(fixture('hooks'))
    expect(Object.values(states(run)).every((state) => state === 'passed')).toBe(true)
    expect(
      run.report.findings.map((f) => ({ object: f.object, origin: f.origin, tests: f.tests })).sort((a, b) => (a.object < b.object ? -1 : 1)),
    ).toEqual([
      { object: 'globalThis.FormData', origin: { file: 'tests/a-each.test.ts', test: null, hook: 'beforeEach', suite: 'uploads' }, tests: 20 },
      { object: 'globalThis.__journalDatabase', origin: { file: 'tests/c-setup.test.ts', test: null, hook: 'beforeAll', suite: 'database' }, tests: undefined },
      { object: 'globalThis.__journalFlag', origin: { file: 'tests/b-restore.test.ts', test: 'leaves a flag', line: 5, column: 1 }, tests: undefined },
      { object: 'globalThis.__journalModuleLevel', origin: { file: 'tests/c-setup.test.ts', test: null }, tests: undefined },
    ])
    expect(brief(run.report).map((f) => f.origin)).not.toContain('cleans up after the other (tests/b-restore.test.ts:9)')
    expect(run.output).toContain(
      ['global-mutation: globalThis.FormData', '  origin:      beforeEach of "uploads" (tests/a-each.test.ts)', '  spanned:     20 tests'].join('\n'),
    )
  })

  test("Vitest's own restoring (restoreMocks, unstubGlobals) is nobody's change", async () => {
    const run = await runReported(fixture('restore-mocks'))
    expect(Object.values(states(run)).every((state) => state === 'passed')).toBe(true)
    expect(run.report.findings).toEqual([])
    expect(run.report.changes).toBeUndefined()
  })
})

test('a passing suite with a memo cache, a lazy singleton and an id counter: no failure text, no finding, no noise', async () => {
  const run = await runReported(fixture('passing'))
  expect(Object.values(states(run)).every((state) => state === 'passed')).toBe(true)
  expect(run.report.findings).toEqual([])
  expect(run.report.failures).toBeUndefined()
  expect(run.output).not.toContain('likely causes')
  expect(run.output).not.toContain('left in place')
  // Recorded all the same, for the JSON report: once per state and test.
  expect(run.report.changes?.map(line).sort()).toEqual([
    'counts on: changed counter @src/ids.ts:2 1 -> 2 x1',
    'counts: changed counter @src/ids.ts:2 0 -> 1 x1',
    'memoizes and registers: changed memo @src/ids.ts:3 0 entries -> 1 entry x1',
    'memoizes and registers: changed registry @src/ids.ts:4 undefined -> {1 keys} x1',
    'memoizes more and registers: changed memo @src/ids.ts:3 1 entry -> 2 entries x1',
    'memoizes more and registers: changed registry.names @src/ids.ts:4 1 entry -> 2 entries x1',
  ])
})

import { describe, expect, test } from 'vitest'
import { buildReport, formatReport, githubAnnotations, mergeReports, type Finding } from '../../runtime/report/index.ts'

const shared: Finding = {
  kind: 'shared-instance',
  concurrent: true,
  resource: 'binding:scheme',
  object: 'Scheme#1',
  origin: { file: 'tests/a.test.ts', test: null, line: 4, column: 16 },
  observedIn: [{ file: 'tests/a.test.ts', test: 'hold off > creates', line: 20, column: 5, operation: 'scheme.addKnownTypes' }],
  hint: 'Give each test its own instance: mark the binding with // @isolate or use ctx.scheme.',
}
const retained: Finding = {
  kind: 'retained',
  object: 'Machine default/ms-7fq2x',
  origin: { file: 'tests/b.test.ts', test: 'b > keeps', line: 9, column: 3 },
  observedIn: [],
  retainedBy: 'module binding `seen` (tests/b.test.ts:3) → Array[0]',
  hint: 'Clear `seen` in afterEach, or make it per-test with // @isolate.',
}
const counts = { files: 2, tests: 5, isolatedTests: 3 }
const versions = { version: '0.1.0', vitest: '4.1.12' }

describe('buildReport', () => {
  test('counts findings by kind and keeps schemaVersion 1', () => {
    const report = buildReport([shared, retained], counts, versions)
    expect(report.summary).toStrictEqual({
      files: 2,
      tests: 5,
      isolatedTests: 3,
      findings: 2,
      byKind: { 'shared-instance': 1, 'foreign-object': 0, retained: 1, 'global-mutation': 0 },
    })
    expect(report.schemaVersion).toBe(1)
    expect(report.tool).toBe('vitest-isolation')
  })

  test('joins the observers of one object and origin, once each', () => {
    const other = { ...shared, concurrent: false, observedIn: [{ file: 'tests/c.test.ts', test: 'c > uses', line: 2, column: 1 }] }
    const report = buildReport([shared, other, shared], counts, versions)
    expect(report.findings).toHaveLength(1)
    expect(report.findings[0].observedIn.map((p) => p.test)).toStrictEqual(['hold off > creates', 'c > uses'])
    expect(report.findings[0].concurrent).toBe(true)
  })

  test('does not mutate its input', () => {
    const input = structuredClone(shared)
    buildReport([input, { ...input, observedIn: [{ file: 'x', test: 'y' }] }], counts, versions)
    expect(input).toStrictEqual(shared)
  })
})

describe('mergeReports', () => {
  test('adds up counts of shards and joins their findings', () => {
    const a = buildReport([shared], counts, versions)
    const b = buildReport([shared, retained], { files: 1, tests: 4, isolatedTests: 4 }, versions)
    const merged = mergeReports([a, b])
    expect(merged.summary).toStrictEqual({
      files: 3,
      tests: 9,
      isolatedTests: 7,
      findings: 2,
      byKind: { 'shared-instance': 1, 'foreign-object': 0, retained: 1, 'global-mutation': 0 },
    })
  })

  test('refuses a report of another schema', () => {
    const foreign = { ...buildReport([], counts, versions), schemaVersion: 2 } as unknown as Parameters<typeof mergeReports>[0][0]
    expect(() => mergeReports([foreign])).toThrowErrorMatchingInlineSnapshot(
      `[Error: [vitest-isolation] cannot merge a report with tool "vitest-isolation" and schemaVersion 2: only vitest-isolation schemaVersion 1 reports can be merged]`,
    )
  })
})

describe('formatReport', () => {
  test('a clean run is one line', () => {
    expect(formatReport(buildReport([], counts, versions))).toMatchInlineSnapshot(`"[vitest-isolation] no findings (5 tests in 2 files, 3 isolated tests)"`)
  })

  test('a run where no test is isolated as a whole says nothing about isolated tests', () => {
    // Marked bindings and resources are per test without the test being marked: "0 isolated" would read as "nothing was".
    const bindingsOnly = { files: 1, tests: 2, isolatedTests: 0 }
    expect(formatReport(buildReport([], bindingsOnly, versions))).toMatchInlineSnapshot(`"[vitest-isolation] no findings (2 tests in 1 file)"`)
  })

  test('one isolated test', () => {
    expect(formatReport(buildReport([], { files: 1, tests: 1, isolatedTests: 1 }, versions))).toMatchInlineSnapshot(`"[vitest-isolation] no findings (1 test in 1 file, 1 isolated test)"`)
  })

  test('one block per finding with origin, observers and hint', () => {
    expect(formatReport(buildReport([shared, retained], counts, versions))).toMatchInlineSnapshot(`
      "[vitest-isolation] 2 findings: 1 shared-instance, 1 retained (5 tests in 2 files, 3 isolated tests)

      1. shared-instance (concurrent): Scheme#1 [binding:scheme]
        origin:      module scope (tests/a.test.ts:4:16)
        seen in:     "hold off > creates" (tests/a.test.ts:20:5) via scheme.addKnownTypes
        hint:        Give each test its own instance: mark the binding with // @isolate or use ctx.scheme.

      2. retained: Machine default/ms-7fq2x
        origin:      "b > keeps" (tests/b.test.ts:9:3)
        retained by: module binding \`seen\` (tests/b.test.ts:3) → Array[0]
        hint:        Clear \`seen\` in afterEach, or make it per-test with // @isolate."
    `)
  })
})

describe('githubAnnotations', () => {
  test('one line per observing test, escaped', () => {
    const lines = githubAnnotations([shared], 'warning')
    expect(lines).toHaveLength(1)
    expect(lines[0].startsWith('::warning file=tests/a.test.ts,line=20,col=5,title=vitest-isolation shared-instance (concurrent)%3A Scheme#1 [binding%3Ascheme]::')).toBe(true)
    expect(lines[0]).not.toMatch(/\n/)
  })

  test('a finding without observers is placed at its origin', () => {
    expect(githubAnnotations([retained], 'error')[0]).toMatch(/^::error file=tests\/b\.test\.ts,line=9,col=3,/)
  })
})

// `vitest-isolation report`, in process: merging shard reports, and every bad argument as one line with exit code 2.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'

import { main } from '../../cli/main.ts'
import { buildReport, formatReport, mergeReports, type Finding } from '../../runtime/report/index.ts'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vi-report-cli-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const versions = { version: '0.1.0', vitest: '4.1.12' }
const shared: Finding = {
  kind: 'shared-instance',
  concurrent: true,
  resource: 'scheme',
  object: 'Scheme#1',
  origin: { file: 'a.test.ts', test: null, line: 4, column: 16 },
  observedIn: [{ file: 'a.test.ts', test: 'one', line: 9, column: 5, operation: 'scheme.recognizes' }],
  hint: 'Give each test its own: mark `const scheme` with // @isolate, or use ctx.scheme.',
}
const retained: Finding = {
  kind: 'retained',
  resource: 'registry',
  object: 'Registry#2',
  origin: { file: 'b.test.ts', test: 'keeps', line: 7, column: 3 },
  observedIn: [],
  retainedBy: 'module binding `seen` (b.test.ts:3) → Array[0]',
  hint: 'Empty `seen` after each test (`seen.length = 0` in afterEach), or make it per-test with // @isolate.',
}
const first = buildReport([shared], { files: 1, tests: 2, isolatedTests: 0 }, versions)
const second = buildReport(
  [{ ...shared, observedIn: [{ file: 'a.test.ts', test: 'two', line: 14, column: 5 }] }, retained],
  { files: 1, tests: 3, isolatedTests: 3 },
  versions,
)

function write(name: string, content: string): string {
  fs.writeFileSync(path.join(dir, name), content)
  return name
}
write('first.json', JSON.stringify(first))
write('second.json', JSON.stringify(second))

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string[] }> {
  const stdout: string[] = []
  const stderr: string[] = []
  const code = await main(argv, { cwd: dir, stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) })
  return { code, stdout: stdout.join('\n'), stderr }
}

describe('vitest-isolation report', () => {
  test('merges the reports and prints them as the console reporter does', async () => {
    const { code, stdout, stderr } = await cli('report', 'first.json', 'second.json')
    expect({ code, stderr }).toEqual({ code: 0, stderr: [] })
    expect(stdout).toBe(formatReport(mergeReports([first, second])))
    expect(stdout).toMatchInlineSnapshot(`
      "[vitest-isolation] 2 findings: 1 shared-instance, 1 retained (5 tests in 2 files, 3 isolated tests)

      1. shared-instance (concurrent): Scheme#1 [scheme]
        origin:      module scope (a.test.ts:4:16)
        seen in:     "one" (a.test.ts:9:5) via scheme.recognizes
                     "two" (a.test.ts:14:5)
        hint:        Give each test its own: mark \`const scheme\` with // @isolate, or use ctx.scheme.

      2. retained: Registry#2 [registry]
        origin:      "keeps" (b.test.ts:7:3)
        retained by: module binding \`seen\` (b.test.ts:3) → Array[0]
        hint:        Empty \`seen\` after each test (\`seen.length = 0\` in afterEach), or make it per-test with // @isolate."
    `)
  })

  test('--json prints the merged report', async () => {
    const { code, stdout } = await cli('report', '--json', 'first.json', 'second.json')
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toEqual(mergeReports([first, second]))
  })

  test('--help', async () => {
    const { code, stdout } = await cli('report', '--help')
    expect(code).toBe(0)
    expect(stdout).toMatch(/^Usage: vitest-isolation report <report\.json…> \[options\]\n/)
  })

  test('the bin lists the command', async () => {
    expect((await cli('--help')).stdout).toMatch(/\n {2}report <report\.json…> +merge JSON reports \(e\.g\. one per shard\) and print the findings\n/)
  })

  test.each([
    [['report'], "[vitest-isolation] report: missing <report.json>: give one or more JSON reports to merge (see 'vitest-isolation report --help')"],
    [['report', 'first.json', '--nope'], "[vitest-isolation] report: unknown option '--nope' (see 'vitest-isolation report --help')"],
    [['report', 'missing.json'], "[vitest-isolation] report: cannot read missing.json: no such file (see 'vitest-isolation report --help')"],
    [['report', '.'], "[vitest-isolation] report: cannot read .: it is a directory (see 'vitest-isolation report --help')"],
    [['report', write('broken.json', '{"schemaVersion": 1,')], expect.stringMatching(/^\[vitest-isolation\] report: broken\.json is not valid JSON: .+ \(see 'vitest-isolation report --help'\)$/)],
    [
      ['report', 'first.json', write('other.json', '{"tool":"jest","schemaVersion":1}')],
      "[vitest-isolation] report: other.json is not a vitest-isolation report (expected tool \"vitest-isolation\", schemaVersion 1, summary and findings) (see 'vitest-isolation report --help')",
    ],
  ])('%j: exit 2 and one line on stderr, nothing on stdout', async (argv, line) => {
    expect(await cli(...argv)).toEqual({ code: 2, stdout: '', stderr: [line] })
  })
})

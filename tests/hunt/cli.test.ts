// The dispatcher and hunt's argument checks, in process (no Vitest run is needed to reject bad arguments).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'

import { main } from '../../cli/main.ts'
import { parseHuntArgs } from '../../cli/hunt/args.ts'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vi-hunt-cli-'))
fs.mkdirSync(path.join(dir, 'tests'))
fs.writeFileSync(path.join(dir, 'tests/a.test.ts'), '')
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

async function cli(...argv: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = []
  const stderr: string[] = []
  const code = await main(argv, { cwd: dir, stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) })
  return { code, stdout, stderr }
}

describe('vitest-isolation', () => {
  test('--help lists the commands that exist', async () => {
    const { code, stdout } = await cli('--help')
    expect(code).toBe(0)
    expect(stdout.join('\n')).toMatch(
      /Commands:\n {2}hunt <victim> +find the test\(s\) that pollute a failing test\n {2}migrate +take a suite from per-file isolation to isolate: false, with a report card\n {2}report <report\.json…> +merge JSON reports/,
    )
  })

  test('--version prints the package version', async () => {
    const { version } = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
    expect(await cli('--version')).toEqual({ code: 0, stdout: [version], stderr: [] })
  })

  test.each([
    [['bogus'], "[vitest-isolation] unknown command 'bogus' (see 'vitest-isolation --help')"],
    [['--bogus'], "[vitest-isolation] unknown option '--bogus' (see 'vitest-isolation --help')"],
    [['hunt'], "[vitest-isolation] hunt: missing <victim>: a test file, or file::test name (see 'vitest-isolation hunt --help')"],
    [['hunt', 'tests/a.test.ts', '--nope'], "[vitest-isolation] hunt: unknown option '--nope' (see 'vitest-isolation hunt --help')"],
    [['hunt', 'tests/a.test.ts', '--root'], "[vitest-isolation] hunt: option '--root' needs a value (see 'vitest-isolation hunt --help')"],
    [['hunt', 'tests/a.test.ts', '--json=yes'], "[vitest-isolation] hunt: option '--json' takes no value (see 'vitest-isolation hunt --help')"],
    [['migrate', 'tests'], "[vitest-isolation] migrate: unexpected argument 'tests' (see 'vitest-isolation migrate --help')"],
    [['migrate', '--timeout', '0'], "[vitest-isolation] migrate: --timeout expects a number of seconds > 0, got '0' (see 'vitest-isolation migrate --help')"],
    [['migrate', '--root', 'nowhere'], `[vitest-isolation] migrate: --root: directory not found: ${path.join(dir, 'nowhere')} (see 'vitest-isolation migrate --help')`],
    [['migrate', '--project', ''], "[vitest-isolation] migrate: --project needs a project name (see 'vitest-isolation migrate --help')"],
    [['hunt', 'tests/a.test.ts', '--workers', '0'], "[vitest-isolation] hunt: --workers expects an integer ≥ 1, got '0' (see 'vitest-isolation hunt --help')"],
    [['hunt', 'tests/a.test.ts', '--seed', 'x'], "[vitest-isolation] hunt: --seed expects an integer ≥ 0, got 'x' (see 'vitest-isolation hunt --help')"],
    [['hunt', 'tests/a.test.ts', '--timeout', '0'], "[vitest-isolation] hunt: --timeout expects a number of seconds > 0, got '0' (see 'vitest-isolation hunt --help')"],
    [['hunt', 'tests/a.test.ts', '--timeout', '1m'], "[vitest-isolation] hunt: --timeout expects a number of seconds > 0, got '1m' (see 'vitest-isolation hunt --help')"],
    [['hunt', 'tests/nope.test.ts'], "[vitest-isolation] hunt: victim file not found: tests/nope.test.ts (see 'vitest-isolation hunt --help')"],
    [['hunt', 'tests'], "[vitest-isolation] hunt: victim is not a file: tests (see 'vitest-isolation hunt --help')"],
    [['hunt', 'tests/a.test.ts::'], "[vitest-isolation] hunt: empty test name after '::' in 'tests/a.test.ts::' (see 'vitest-isolation hunt --help')"],
    [['hunt', 'a', 'b'], "[vitest-isolation] hunt: expected one <victim>, got 2: a b (see 'vitest-isolation hunt --help')"],
    [['hunt', 'tests/a.test.ts', '--config', 'nope.ts'], `[vitest-isolation] hunt: --config: file not found: ${path.join(dir, 'nope.ts')} (see 'vitest-isolation hunt --help')`],
  ])('%j: one line on stderr, exit 2', async (argv, line) => {
    expect(await cli(...argv)).toEqual({ code: 2, stdout: [], stderr: [line] })
  })

  test('hunt --help shows the options and exit codes', async () => {
    const { code, stdout } = await cli('hunt', '--help')
    expect(code).toBe(0)
    expect(stdout.join('\n')).toContain('Usage: vitest-isolation hunt <victim> [options]')
    expect(stdout.join('\n')).toContain('--timeout <seconds>  time budget: when it runs out, stop and report the polluters')
    expect(stdout.join('\n')).toMatch(/Exit codes: 0 polluter found \(also when --timeout cut the hunt short after one\),\n1 not reproducible, flaky, or cut short before any, 2 usage error\.$/)
  })
})

describe('parseHuntArgs', () => {
  test('a file::test victim, paths made absolute', () => {
    expect(parseHuntArgs(['tests/a.test.ts::suite > a::b', '--workers', '3', '--seed', '0', '-r', '.'], dir)).toEqual({
      help: false,
      json: false,
      victimFile: path.join(dir, 'tests/a.test.ts'),
      victimTest: 'suite > a::b',
      config: null,
      root: dir,
      workers: 3,
      seed: 0,
      timeout: null,
    })
  })

  test('--timeout takes seconds, fractions too', () => {
    expect(parseHuntArgs(['tests/a.test.ts', '--timeout', '90'], dir).timeout).toBe(90)
    expect(parseHuntArgs(['tests/a.test.ts', '--timeout', '2.5'], dir).timeout).toBe(2.5)
  })
})

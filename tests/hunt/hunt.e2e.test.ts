// End-to-end: the built `vitest-isolation hunt` on generated polluted suites, through real Vitest.
// Every `runs` below is 2 verification runs + the search's runs + 1 run of the replay command. A polluter that the
// bisection finds is run a second time, in the round that checks the rest, before it is reported.
// The scenarios with many polluters, hooks, a time budget and flaky victims are in many-polluters.e2e.ts (imported here,
// the one hunt file the e2e project runs).
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { createVitest } from 'vitest/node'

import { cliBin, huntJson, suite, useHuntCli } from './hunt-cli.ts'
import { runCli, runShell } from '../e2e/run-cli.ts'
import './many-polluters.e2e.ts'

useHuntCli()

/** The first seed under which Vitest's own shuffle orders the suite's files as `wanted` accepts. */
async function seedWhere(root: string, wanted: (order: string[]) => boolean): Promise<number> {
  const vitest = await createVitest(
    'test',
    { root, watch: false, reporters: [{}], sequence: { shuffle: { files: true, tests: false }, seed: 1 } },
    { logLevel: 'silent' },
  )
  try {
    const specs = await vitest.globTestSpecifications()
    const Sequencer = vitest.config.sequence.sequencer
    for (let seed = 1; ; seed++) {
      vitest.config.sequence.seed = seed
      const order = (await new Sequencer(vitest).sort([...specs])).map((spec) => path.relative(root, spec.moduleId))
      if (wanted(order)) return seed
    }
  } finally {
    await vitest.close()
  }
}

describe('hunt', { timeout: 60_000 }, () => {
  test('one polluting test among 30 files; the replay reproduces with plain Vitest', async () => {
    const { root, victimFile } = suite({ files: 30, tests: 4, behaviours: { 'f17#2': 'pollute' } })
    const { code, json, stderr } = await huntJson(root, victimFile, '--workers', '2')
    expect(code).toBe(0)
    expect(json).toEqual({
      victim: { file: 'tests/victim.test.js', test: null },
      reproduced: true,
      polluters: [{ file: 'tests/f17.test.js', test: 'f17 > test 2' }],
      // search: 6 runs find f17 (30 → 10 → 3 → 1), 1 clears its module scope, 2 find test 2 among its 4 tests,
      // 1 runs it again while 1 shows the rest passes
      runs: 14,
      // one name for the polluter, one suite for the victim file's tests
      replay:
        'npx vitest run --no-isolate --maxWorkers=1 --no-file-parallelism --sequence.shuffle.files --sequence.seed=1 ' +
        "tests/f17.test.js tests/victim.test.js -t '^(?:f17 test 2$|victim )'",
      reason: null,
      cutShort: false,
      flaky: false,
      seconds: expect.any(Number),
    })
    expect(stderr).toMatch(/^\[vitest-isolation\] hunt: round 1: 30 candidates left, 2 sets running \(run 2, \d+ s\)$/m)
    expect(stderr).toMatch(/^\[vitest-isolation\] hunt: polluter found: tests\/f17\.test\.js > 'f17 > test 2' \(run 13, \d+ s\)$/m)

    // Twice: plain Vitest's results cache must not change the order (it would run the failed victim first).
    for (let i = 0; i < 2; i++) {
      const replay = await runShell(json.replay!, root)
      expect(replay.code).toBe(1)
      expect(replay.stdout).toMatch(/Tests\s+1 failed \| 2 passed/)
    }
  })

  test('two independent polluters: a test, and a module scope', async () => {
    const { root, victimFile } = suite({
      files: 25,
      tests: 3,
      behaviours: { 'f03#1': 'pollute', 'f21#scope': 'pollute' },
    })
    const { code, json } = await huntJson(root, victimFile, '--workers', '2')
    expect(code).toBe(0)
    expect(json.polluters).toEqual([
      { file: 'tests/f03.test.js', test: 'f03 > test 1' },
      { file: 'tests/f21.test.js', test: null },
    ])
    // search: 6 + 1 + 2 runs find f03 > test 1, 1 shows the rest still fails, 6 + 1 find f21 and that its module scope
    // alone pollutes, 1 shows the rest passes; each polluter is run a second time along with those checks
    expect(json.runs).toBe(23)
  })

  test('a polluting pair: only f05 > test 0 followed by f14 > test 2 breaks the victim', async () => {
    const { root, victimFile } = suite({
      files: 20,
      tests: 3,
      behaviours: { 'f05#0': 'half', 'f14#2': 'complete' },
    })
    const { code, json } = await huntJson(root, victimFile, '--workers', '2')
    expect(code).toBe(0)
    expect(json.polluters).toEqual([
      { file: 'tests/f05.test.js', test: 'f05 > test 0' },
      { file: 'tests/f14.test.js', test: 'f14 > test 2' },
    ])
    // search (28, as its model in search.test.ts): 6 runs of a descent that finds no single polluter, 1 run of all the
    // candidates (verified by the verification run only), 4 runs show that f00–f06 and f14–f19 are both needed, 8 runs
    // find f14 with f00–f06 held fixed then f05 with f14 held fixed, 7 runs narrow both to their tests, 1 run shows the
    // rest passes while 1 runs the pair again
    expect(json.runs).toBe(31)
    const replay = await runShell(json.replay!, root)
    expect(replay.code).toBe(1)
  })

  test('a polluting test inside a file of 60 tests (a shared module-level Map) is narrowed to that test', async () => {
    const { root, victimFile } = suite({
      files: 6,
      tests: 3,
      testsIn: { 2: 60 },
      victim: 'map',
      behaviours: { 'f2#41': 'map' },
    })
    const { code, json } = await huntJson(root, victimFile, '--workers', '2')
    expect(code).toBe(0)
    expect(json.polluters).toEqual([{ file: 'tests/f2.test.js', test: 'f2 > test 41' }])
    // search: 4 runs find f2, 1 clears its module scope, 8 find test 41 (60 → 20 → 7 → 3 → 1), 1 shows the rest passes
    // while 1 runs test 41 again
    expect(json.runs).toBe(18)
  })

  test('a victim given by test name, with one worker', async () => {
    const { root, victimFile, victimTest } = suite({ files: 10, tests: 2, behaviours: { 'f7#1': 'pollute' } })
    const { code, json } = await huntJson(root, `${victimFile}::${victimTest}`, '--workers', '1')
    expect(code).toBe(0)
    expect(json.victim).toEqual({ file: 'tests/victim.test.js', test: 'victim > reads clean state' })
    expect(json.polluters).toEqual([{ file: 'tests/f7.test.js', test: 'f7 > test 1' }])
    // search over 10 files + the victim's sibling test: 5 runs find f7 (halving, one confirmation), 1 clears its module
    // scope, 2 find test 1, 1 shows the rest passes while 1 runs test 1 again
    expect(json.runs).toBe(13)
    expect(json.replay).toContain("-t '^(?:f7 test 1|victim reads clean state)$'")
  })

  test("the polluter is an earlier test of the victim's own file", async () => {
    const { root, victimFile, victimTest } = suite({ files: 5, tests: 2, warmUp: 'pollute' })
    const { code, json } = await huntJson(root, `${victimFile}::${victimTest}`, '--workers', '2')
    expect(code).toBe(0)
    expect(json.polluters).toEqual([{ file: 'tests/victim.test.js', test: 'victim > warms up' }])
    // search over 5 files + 1 sibling test: 2 + 2 runs find the sibling, 1 shows the rest passes while 1 runs it again
    expect(json.runs).toBe(9)
    expect(json.replay).toBe(
      'npx vitest run --no-isolate --maxWorkers=1 --no-file-parallelism tests/victim.test.js ' +
        "-t '^(?:victim warms up|victim reads clean state)$'",
    )
  })

  test("an origin named by the runtime's findings (its meta's `findings[].origin`) is tried first", async () => {
    const { root, victimFile } = suite({
      files: 30,
      tests: 4,
      behaviours: { 'f17#2': 'pollute' },
      victimFindings: [{ origin: { file: 'tests/f17.test.js', test: 'f17 > test 2' } }],
    })
    const { code, json, stderr } = await huntJson(root, victimFile, '--workers', '2')
    expect(code).toBe(0)
    expect(json.polluters).toEqual([{ file: 'tests/f17.test.js', test: 'f17 > test 2' }])
    // search: 1 run of the origin, 1 run shows the rest passes (14 without the finding, see the first test)
    expect(json.runs).toBe(5)
    expect(stderr).toContain('[vitest-isolation] hunt: trying first 1 suspect(s) named by vitest-isolation, each alone')
  })

  test('--seed runs the candidates in the order of --sequence.shuffle --sequence.seed', async () => {
    // f1 completes what f3 starts: in file order f1 runs first and nothing pollutes.
    const { root, victimFile } = suite({ files: 6, tests: 1, behaviours: { 'f1#0': 'complete', 'f3#0': 'half' } })
    const plain = await huntJson(root, victimFile, '--workers', '2')
    expect(plain.code).toBe(1)
    expect(plain.json.reproduced).toBe(false)

    const seed = await seedWhere(root, (order) => order.indexOf('tests/f3.test.js') < order.indexOf('tests/f1.test.js'))
    const seeded = await huntJson(root, victimFile, '--workers', '2', '--seed', String(seed))
    expect(seeded.code).toBe(0)
    expect(seeded.json.polluters).toEqual([
      { file: 'tests/f3.test.js', test: 'f3 > test 0' },
      { file: 'tests/f1.test.js', test: 'f1 > test 0' },
    ])
    const replay = await runShell(seeded.json.replay!, root)
    expect(replay.code).toBe(1)
  })

  test('a victim that does not fail after the others is not reproducible (exit 1)', async () => {
    const { root, victimFile } = suite({ files: 5, tests: 2, victim: 'clean', behaviours: { 'f1#0': 'pollute' } })
    const result = await huntJson(root, victimFile, '--workers', '2')
    expect(result.code).toBe(1)
    const reason =
      'tests/victim.test.js passes after all 5 other test file(s) ran before it in one worker with isolate: false (file order)'
    expect(result.json).toEqual({
      victim: { file: 'tests/victim.test.js', test: null },
      reproduced: false,
      polluters: [],
      runs: 2,
      replay: null,
      reason,
      cutShort: false,
      flaky: false,
      seconds: expect.any(Number),
    })
    expect(result.stderr).toContain(
      'not reproducible: tests/victim.test.js passes after all 5 other test file(s) ran before it in one worker',
    )
  })

  test('human output, run from a subfolder with --root and --config', async () => {
    const { root } = suite({ files: 4, tests: 2, behaviours: { 'f2#0': 'pollute' } })
    const cwd = path.join(root, 'tests')
    const args = ['hunt', 'victim.test.js', '--root', '..', '--config', '../vitest.config.mjs', '--workers', '2']
    const result = await runCli(cliBin(), args, cwd)
    expect(result.code).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines.slice(0, 6)).toEqual([
      'Victim: tests/victim.test.js (the whole file)',
      '  fails with: victim > reads clean state: expected true to be undefined',
      '',
      "Polluter: tests/f2.test.js > 'f2 > test 0'",
      '  replay (checked: the victim fails):',
      '    npx vitest run --no-isolate --maxWorkers=1 --no-file-parallelism --sequence.shuffle.files --sequence.seed=1 ' +
        "--config vitest.config.mjs --root .. f2.test.js victim.test.js -t '^(?:f2 test 0$|victim )'",
    ])
    const replay = await runShell(lines[5].trim(), cwd)
    expect(replay.code).toBe(1)
    expect(replay.stdout).toMatch(/Tests\s+1 failed \| 2 passed/)
  })

  test('a replay whose file names also select another file puts that file after the victim', async () => {
    const { root, victimFile } = suite({ files: 3, tests: 1, behaviours: { 'f1#0': 'pollute' } })
    // Vitest matches the filter `tests/f1.test.js` as a substring: it also selects `tests/unit/tests/f1.test.js`.
    fs.mkdirSync(path.join(root, 'tests/unit/tests'), { recursive: true })
    fs.writeFileSync(path.join(root, 'tests/unit/tests/f1.test.js'), "import { test } from 'vitest'\ntest('x', () => {})\n")
    const { json } = await huntJson(root, victimFile, '--workers', '2')
    expect(json.polluters).toEqual([{ file: 'tests/f1.test.js', test: 'f1 > test 0' }])
    // search over 4 files: 4 runs find f1, 1 clears its module scope, 1 shows the rest passes while 1 runs f1 > test 0
    // again
    expect(json.runs).toBe(10)
    const replay = await runShell(json.replay!, root)
    expect(replay.code).toBe(1)
    // -t skips the extra file's test; its module still loads, after the victim under the chosen seed
    expect(replay.stdout).toMatch(/Test Files\s+1 failed \| 1 passed \| 1 skipped \(3\)/)
  })

  test.each([
    [['hunt', 'tests/missing.test.js'], 'victim file not found: tests/missing.test.js'],
    [['hunt', 'tests/victim.test.js', '--bogus'], "unknown option '--bogus'"],
    [['hunt', 'tests/victim.test.js::victim > nope'], 'no test named "victim > nope" in tests/victim.test.js'],
    [['hunt', 'tests/shared.js'], 'tests/shared.js is not a test file of this Vitest project'],
  ])('usage error %j: exit 2, one line on stderr, nothing on stdout', async (args, message) => {
    const { root } = suite({ files: 2, tests: 1 })
    const result = await runCli(cliBin(), [...args, '--json'], root)
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining(message)])
  })
})

import { describe, expect, test } from 'vitest'

import { formatCommand, replayArgs, shellQuote, testNamePattern } from '../../cli/hunt/replay.ts'

describe('replay command', () => {
  test('polluter and victim in order, seed before the files, -t matching exactly the chosen tests', () => {
    const args = replayArgs(
      {
        cwd: '/p',
        config: '/p/vitest.config.ts',
        root: null,
        files: ['/p/tests/a.test.ts', '/p/tests/victim.test.ts'],
        tests: [{ names: ['a', "sets the flag (it's global)"] }, { names: ['victim', 'reads $x.y'] }],
      },
      12,
    )
    expect(formatCommand(args)).toBe(
      'npx vitest run --no-isolate --maxWorkers=1 --no-file-parallelism --sequence.shuffle.files --sequence.seed=12 ' +
        '--config vitest.config.ts tests/a.test.ts tests/victim.test.ts ' +
        `-t '^(?:a sets the flag \\(it'\\''s global\\)|victim reads \\$x\\.y)$'`,
    )
  })

  test('no seed for a single file, no -t when whole files run, --config relative to --root', () => {
    const plan = { cwd: '/p', config: '/p/sub/vitest.config.ts', root: '/p/sub', files: ['/p/sub/v.test.ts'], tests: null }
    // Vitest resolves --config from the root, the root and the files from the current directory.
    expect(replayArgs(plan, null)).toEqual([
      ...['--no-isolate', '--maxWorkers=1', '--no-file-parallelism'],
      ...['--config', 'vitest.config.ts', '--root', 'sub', 'sub/v.test.ts'],
    ])
  })

  test('the -t pattern matches the names Vitest joins with spaces, and nothing else', () => {
    const pattern = new RegExp(testNamePattern([{ names: ['suite', 'a > b'] }, { names: ['top [1]'] }]))
    expect(pattern.test('suite a > b')).toBe(true)
    expect(pattern.test('top [1]')).toBe(true)
    expect(pattern.test('suite a > b c')).toBe(false)
    expect(pattern.test('top 1')).toBe(false)
  })

  test('a suite is its names and a space: it matches every test of that suite and nothing else', () => {
    const source = testNamePattern([{ names: ['a (1)', 'b'], prefix: true }, { names: ['victim', 'reads'] }])
    expect(source).toBe('^(?:victim reads$|a \\(1\\) b )')
    const pattern = new RegExp(source)
    expect(['a (1) b one', 'a (1) b inner two', 'victim reads'].map((n) => pattern.test(n))).toEqual([true, true, true])
    expect(['a (1) bc one', 'a (1) b', 'victim reads more'].map((n) => pattern.test(n))).toEqual([false, false, false])
  })

  test('shell quoting', () => {
    expect(shellQuote('tests/a.test.ts')).toBe('tests/a.test.ts')
    expect(shellQuote('a b')).toBe(`'a b'`)
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`)
  })
})

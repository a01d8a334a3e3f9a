/**
 * End-to-end: the seed flake (kubernetes-sigs/cluster-api #11722) under the plugin. Unmarked, the sibling test fails and
 * the shared Scheme is reported as used by both concurrent tests; with exactly two `// @isolate` markers both pass and
 * nothing is reported.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { brief, runReported } from './findings.ts'
import { FIXTURES, states } from './helpers.ts'

const SUITE = 'MachineSet syncReplicas with a shared scheme'
const HOLD_OFF = `${SUITE} > should hold off on sync replicas when create Infrastructure of machine failed`
const SIBLING = `${SUITE} > the scheme still knows exactly the example API`

test('unmarked: the sibling fails, and the module-level Scheme is a concurrent shared-instance naming both tests', async () => {
  const run = await runReported(resolve(FIXTURES, 'seed-flake'))
  expect(states(run)).toEqual({ [`machineset.test.ts > ${HOLD_OFF}`]: 'passed', [`machineset.test.ts > ${SIBLING}`]: 'failed' })
  expect(run.report.findings).toEqual([
    {
      kind: 'shared-instance',
      concurrent: true,
      resource: 'scheme',
      object: 'Scheme#1',
      origin: { file: 'machineset.test.ts', test: null, line: 94, column: 16 },
      observedIn: [
        { file: 'machineset.test.ts', test: HOLD_OFF, line: 112, column: 39, operation: 'scheme.objectKinds' },
        { file: 'machineset.test.ts', test: SIBLING, line: 140, column: 23, operation: 'scheme.allKnownTypes' },
      ],
      hint: 'Give each test its own: mark `const scheme` with // @isolate, or use ctx.scheme.',
    },
  ])
})

/** A copy of the fixture with one `// @isolate` above `const scheme` and one above `const client`, beside the original. */
function markedCopy(): string {
  const repo = fileURLToPath(new URL('../../', import.meta.url))
  const root = join(repo, '.vitest-isolation', `seed-flake-marked-${process.pid}`)
  rmSync(root, { recursive: true, force: true })
  mkdirSync(root, { recursive: true })
  const source = resolve(FIXTURES, 'seed-flake')
  for (const name of readdirSync(source).filter((file) => file.endsWith('.ts'))) {
    // Two folders deep instead of three: the copy's imports of the repository reach it one level up less.
    const text = readFileSync(join(source, name), 'utf8').replaceAll("'../../../", "'../../")
    writeFileSync(join(root, name), text)
  }
  const file = join(root, 'machineset.test.ts')
  const before = readFileSync(file, 'utf8').split('\n')
  const after = before.flatMap((line) =>
    line.startsWith('const scheme = ') || line.startsWith('const client = ') ? ['// @isolate', line] : [line],
  )
  writeFileSync(file, after.join('\n'))
  return root
}

test('marked: exactly two // @isolate lines, and both tests pass with zero findings', async () => {
  const root = markedCopy()
  try {
    const original = readFileSync(resolve(FIXTURES, 'seed-flake', 'machineset.test.ts'), 'utf8').split('\n')
    const marked = readFileSync(join(root, 'machineset.test.ts'), 'utf8').split('\n')
    // The only difference (besides the copy's import depth) is the two markers.
    expect(marked.length - original.length).toBe(2)
    expect(marked.filter((line) => line === '// @isolate')).toHaveLength(2)
    expect(marked[marked.indexOf('const scheme = newScheme()') - 1]).toBe('// @isolate')
    expect(marked[marked.findIndex((line) => line.startsWith('const client = ')) - 1]).toBe('// @isolate')
    const run = await runReported(root)
    expect(states(run)).toEqual({ [`machineset.test.ts > ${HOLD_OFF}`]: 'passed', [`machineset.test.ts > ${SIBLING}`]: 'passed' })
    expect(brief(run.report)).toEqual([])
    expect(run.report.summary.findings).toBe(0)
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})

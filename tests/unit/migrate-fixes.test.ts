/** What `migrate` marks and writes: which lines a marker attaches to, the bindings that must follow, and the writing. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'

import { causeBinding, dependentMarkers, handFix, markerAt, Sources, writeMarkers } from '../../cli/migrate/fixes.ts'
import type { StateChange } from '../../runtime/report/types.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

function project(files: Record<string, string>): { root: string; sources: Sources } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-fixes-'))
  dirs.push(root)
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    fs.writeFileSync(path.join(root, file), text)
  }
  const sources = new Sources(root)
  for (const file of Object.keys(files)) sources.remember(file)
  return { root, sources }
}

const FILE = [
  "import { newScheme } from './scheme'", // 1
  'const scheme = newScheme()', // 2
  'export const exported = newScheme()', // 3
  '  const indented = 1', // 4
  'var old = newScheme()', // 5
  '// @isolate', // 6
  'let marked = newScheme()', // 7
  'const client = builder()', // 8
  '  .withScheme(scheme)', // 9
  '  .build()', // 10
  'const child = client.child()', // 11
  'const reader = () => client', // 12
  'const unrelated = schemeLike()', // 13
].join('\n')

describe('markers', () => {
  test('a top-level const or let, not exported, not marked already', () => {
    const { sources } = project({ 'a.test.ts': FILE })
    const at = (line: number): number | null => markerAt(sources, 'a.test.ts', line, 'why')?.line ?? null
    expect([2, 3, 4, 5, 7, 8, 99].map(at)).toEqual([2, null, null, null, null, 8, null])
  })

  test('a binding whose initializer reads a marked one is marked too, over chains; not a function, nor a longer name', () => {
    const { sources } = project({ 'a.test.ts': FILE })
    const scheme = markerAt(sources, 'a.test.ts', 2, 'shared')!
    expect(dependentMarkers(sources, 'a.test.ts', [scheme]).map((change) => [change.line, change.reason])).toEqual([
      [8, 'its initializer reads `scheme`, marked too (a marked binding exists only inside a test)'],
      [11, 'its initializer reads `client`, marked too (a marked binding exists only inside a test)'],
    ])
  })

  test('written above their lines, bottom up, keeping CRLF; a file changed since the start is not written', () => {
    const crlf = 'const a = 1\r\nconst b = 2\r\n'
    const { root, sources } = project({ 'a.test.ts': crlf, 'b.test.ts': 'const c = 3\n' })
    const changes = [markerAt(sources, 'a.test.ts', 1, 'x')!, markerAt(sources, 'a.test.ts', 2, 'y')!]
    expect(writeMarkers(sources, root, 'a.test.ts', changes)).toBe(true)
    expect(fs.readFileSync(path.join(root, 'a.test.ts'), 'utf8')).toBe('// @isolate\r\nconst a = 1\r\n// @isolate\r\nconst b = 2\r\n')
    expect(changes.map((change) => change.status)).toEqual(['written', 'written'])

    const late = [markerAt(sources, 'b.test.ts', 1, 'z')!]
    fs.writeFileSync(path.join(root, 'b.test.ts'), 'const c = 4\n')
    expect(writeMarkers(sources, root, 'b.test.ts', late)).toBe(false)
    expect(late[0].status).toBe('skipped')
    expect(fs.readFileSync(path.join(root, 'b.test.ts'), 'utf8')).toBe('const c = 4\n')
  })
})

describe('causes', () => {
  const cause = (over: Partial<StateChange>): StateChange => ({ state: 'x', change: 'changed', by: { file: 'a.test.ts', test: 't' }, tests: 1, ...over })

  test("only a test file's binding is one a marker can fix", () => {
    const files = new Set(['tests/a.test.ts'])
    expect(causeBinding(cause({ module: 'tests/a.test.ts:4' }), files)).toMatchObject({ file: 'tests/a.test.ts', line: 4 })
    expect(causeBinding(cause({ module: 'src/config.ts:4' }), files)).toBeNull()
    // Set up by the file's top level, or placed only in the file: no marker.
    expect(causeBinding(cause({ module: 'tests/a.test.ts:4', by: { file: 'tests/a.test.ts', test: null } }), files)).toBeNull()
    expect(causeBinding(cause({ module: 'tests/a.test.ts:4', inFile: true, by: { file: 'tests/a.test.ts', test: null } }), files)).toBeNull()
    expect(causeBinding(cause({ module: 'tests/a.test.ts:4', by: { file: 'tests/a.test.ts', test: null, hook: 'beforeEach' } }), files)).toMatchObject({ line: 4 })
    expect(causeBinding(cause({ state: 'globalThis.flag' }), files)).toBeNull()
  })

  test('the fix by hand names the undo, where to put it, and the stub helper for globals and env', () => {
    expect(handFix(cause({ state: 'globalThis.__cfg.locale' }))).toBe(
      'restore `globalThis.__cfg.locale` in an afterEach, or set it with vi.stubGlobal and unstubGlobals: true',
    )
    expect(handFix(cause({ state: 'process.env.TZ', change: 'added', by: { file: 'a.test.ts', test: null, hook: 'beforeAll' } }))).toBe(
      'delete `process.env.TZ` in an afterAll, or set it with vi.stubEnv and unstubEnvs: true',
    )
    expect(handFix(cause({ state: 'cache', module: 'src/cache.ts:3', by: { file: 'a.test.ts', test: null } }))).toBe(
      'restore `cache` in an afterAll (and set it in a beforeAll): src/cache.ts keeps it for every later test of the worker',
    )
  })
})

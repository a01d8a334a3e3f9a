/**
 * Option validation at start-up: unknown keys get a "did you mean", and every problem of the options is in one error.
 */
import { describe, expect, test } from 'vitest'
import { closest, IsolationOptionsError, normalizeOptions } from '../../plugin/options.ts'

const problemsOf = (options: unknown): readonly string[] => {
  try {
    const normalized = normalizeOptions(options, 'vitest.config.ts', {})
    return normalized.problems.list()
  } catch (error) {
    if (error instanceof IsolationOptionsError) return error.problems
    throw error
  }
}

describe('did you mean', () => {
  test.each([
    ['resource', 'resources'],
    ['leak', 'leaks'],
    ['Mode', 'mode'],
    ['includes', 'include'],
    ['exlude', 'exclude'],
    ['retnetion', 'retention'],
    ['resourc', 'resources'],
    ['reporter', 'report'],
  ])('option %s → %s', (typed, meant) => {
    expect(closest(typed, ['include', 'exclude', 'mode', 'resources', 'leaks', 'retention', 'report'])).toBe(meant)
  })

  test.each(['isolate', 'pool', 'x', 'setupFiles'])('no suggestion for the unrelated option %s', (typed) => {
    expect(closest(typed, ['include', 'exclude', 'mode', 'resources', 'leaks', 'retention', 'report'])).toBeUndefined()
  })

  test('an unknown option names the likely one and lists the known ones', () => {
    expect(problemsOf({ resource: {}, leak: 'error' })).toEqual([
      'unknown option "resource"; did you mean "resources"? Known options: include, exclude, mode, resources, leaks, retention, report, journal, ignoreGlobals.',
      'unknown option "leak"; did you mean "leaks"? Known options: include, exclude, mode, resources, leaks, retention, report, journal, ignoreGlobals.',
    ])
  })

  test('an unknown option without a close match only lists the known ones', () => {
    expect(problemsOf({ pool: 'forks' })).toEqual([
      'unknown option "pool". Known options: include, exclude, mode, resources, leaks, retention, report, journal, ignoreGlobals.',
    ])
  })

  test('journal and ignoreGlobals: checked, RegExps carried as source and flags', () => {
    expect(problemsOf({ journal: 'loud', ignoreGlobals: ['__app', /^__lib_/i, 3] })).toEqual([
      "option \"journal\" must be one of 'on', 'verbose', 'off', got \"loud\".",
      'option "ignoreGlobals" must be an array of global names (strings) and RegExps, got 3 in it.',
    ])
    const normalized = normalizeOptions({ journal: 'verbose', ignoreGlobals: ['__app', /^__lib_/i] }, 'vitest.config.ts')
    expect([normalized.journal, normalized.ignoreGlobals]).toEqual(['verbose', ['__app', { source: '^__lib_', flags: 'i' }]])
    expect(normalizeOptions({}, 'vitest.config.ts')).toMatchObject({ journal: 'on', ignoreGlobals: [] })
  })

  test('an unknown key of a ResourceSpec', () => {
    expect(problemsOf({ resources: { db: { module: './db.ts', exports: 'newDb', use: [] } } })).toEqual([
      'resource "db": unknown key "exports"; did you mean "export"? Known keys: module, export, uses.',
      'resource "db": unknown key "use"; did you mean "uses"? Known keys: module, export, uses.',
    ])
  })

  test('an unknown name in uses names the close declared one', () => {
    expect(problemsOf({ resources: { scheme: './s.ts#newScheme', client: { module: './c.ts', uses: ['schema'] } } })).toEqual([
      'resource "client": uses "schema", which is not a declared resource (declared: scheme, client). Did you mean "scheme"? Declare "schema" or remove it from uses.',
    ])
  })
})

describe('all problems at once', () => {
  test('with resources to check, the problems wait for the module checks instead of being thrown', () => {
    const normalized = normalizeOptions({ mode: 'some', resources: { a: { module: './a.ts', uses: ['b'] } } }, 'vitest.config.ts', {})
    expect(normalized.problems.list()).toEqual([
      "option \"mode\" must be one of 'marked', 'all', got \"some\".",
      'resource "a": uses "b", which is not a declared resource (declared: a). Declare "b" or remove it from uses.',
    ])
  })

  test('with no resource to check, they are thrown at once', () => {
    expect(() => normalizeOptions({ mode: 'some', leaks: 'loud' }, 'vitest.config.ts', {})).toThrowErrorMatchingInlineSnapshot(`
      [IsolationOptionsError: [vitest-isolation] Invalid options of isolation() in vitest.config.ts (2 problems):
        - option "leaks" must be one of 'warn', 'error', 'off', got "loud".
        - option "mode" must be one of 'marked', 'all', got "some".]
    `)
  })

  test('a uses of a resource whose own declaration is invalid is not also reported as undeclared', () => {
    expect(problemsOf({ resources: { a: 42, b: { module: './b.ts', uses: ['a'] } } })).toEqual([
      'resource "a": expected \'path#export\' or { module, export?, uses? }, got 42.',
    ])
  })

  test('valid options leave nothing behind', () => {
    const normalized = normalizeOptions({ resources: { a: './a.ts#newA' } }, 'vitest.config.ts', {})
    expect(normalized.problems.list()).toEqual([])
  })
})

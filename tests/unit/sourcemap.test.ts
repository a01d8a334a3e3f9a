import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping'
import { describe, expect, test } from 'vitest'
import { instrumentFactories, transformTestFile } from '../../plugin/transform/index.ts'
import type { TransformResult } from '../../plugin/transform/index.ts'

const ID = '/repo/tests/a.test.ts'
const OPTIONS = { root: '/repo', mode: 'marked', runtimeId: 'vitest-isolation/runtime', resources: [] } as const

/** The 1-based line and 0-based column (source-map convention) of the `nth` occurrence of `needle` in `text`. */
function positionOf(text: string, needle: string, nth = 0): { line: number; column: number } {
  let index = -1
  for (let i = 0; i <= nth; i++) {
    index = text.indexOf(needle, index + 1)
    if (index === -1) throw new Error(`${JSON.stringify(needle)} #${nth} not found`)
  }
  const before = text.slice(0, index)
  const line = before.split('\n').length
  return { line, column: index - (before.lastIndexOf('\n') + 1) }
}

/** Where the map sends the `nth` `needle` of the output, and where that needle really is in the original source. */
function trace(result: TransformResult, original: string, needle: string, nth = 0, originalNeedle = needle, originalNth = nth) {
  const mapped = originalPositionFor(new TraceMap(result.map as never), positionOf(result.code, needle, nth))
  const expected = { source: ID, ...positionOf(original, originalNeedle, originalNth), name: null }
  return { mapped, expected }
}

function transform(code: string): TransformResult {
  const result = transformTestFile(code, ID, OPTIONS)
  if (!result) throw new Error('expected the file to be transformed')
  return result
}

const BINDING_FILE = [
  `import { expect, test } from 'vitest'`,
  `// @isolate`,
  `const scheme = newScheme()`,
  `// @isolate`,
  `test('reads', () => {`,
  `  expect(scheme.size).toBe(0)`,
  `})`,
  ``,
].join('\n')

describe('source maps', () => {
  test('the map names the module and carries its content', () => {
    const { map } = transform(BINDING_FILE)
    expect({ sources: map?.sources, sourcesContent: map?.sourcesContent }).toStrictEqual({ sources: [ID], sourcesContent: [BINDING_FILE] })
  })

  test('code after the one-line prologue maps to line 1', () => {
    const { mapped, expected } = trace(transform(BINDING_FILE), BINDING_FILE, `{ expect, test }`)
    expect(mapped).toStrictEqual(expected)
    expect(expected).toStrictEqual({ source: ID, line: 1, column: 7, name: null })
  })

  test('the initializer inside the generated binding call', () => {
    const { mapped, expected } = trace(transform(BINDING_FILE), BINDING_FILE, 'newScheme()')
    expect(mapped).toStrictEqual(expected)
  })

  test('a rewritten reference maps to the original identifier', () => {
    const { mapped, expected } = trace(transform(BINDING_FILE), BINDING_FILE, '__vi_iso_b_scheme.value.size', 0, 'scheme.size')
    expect(mapped).toStrictEqual(expected)
  })

  test('code after a rewritten reference on the same line keeps its column', () => {
    const result = transform(BINDING_FILE)
    for (const needle of ['.size', '.toBe(0)']) {
      const { mapped, expected } = trace(result, BINDING_FILE, needle)
      expect(mapped).toStrictEqual(expected)
    }
  })

  test('the call inside a mark wrapper', () => {
    const { mapped, expected } = trace(transform(BINDING_FILE), BINDING_FILE, `test('reads'`)
    expect(mapped).toStrictEqual(expected)
  })

  const variants: Record<string, string> = {
    'LF, line comment': `// @isolate\nconst scheme = newScheme()\n// @isolate\ntest('a', () => {\n  expect(scheme).toBeDefined()\n})\n`,
    'CRLF line endings': `// @isolate\r\nconst scheme = newScheme()\r\n// @isolate\r\ntest('a', () => {\r\n  expect(scheme).toBeDefined()\r\n})\r\n`,
    'tab indentation': `// @isolate\nconst scheme = newScheme()\n// @isolate\ntest('a', () => {\n\t\texpect(scheme).toBeDefined()\n})\n`,
    'block markers on the same line': `/* @isolate */ const scheme = newScheme()\n/* @isolate */ test('a', () => { expect(scheme).toBeDefined() })\n`,
    'multi-line JSDoc markers': `/**\n * Shared.\n * @isolate\n */\nconst scheme = newScheme()\n/**\n * @isolate\n */\ntest('a', () => {\n  expect(scheme).toBeDefined()\n})\n`,
    'leading blank lines and a file marker': `\n\n// @vitest-isolate\n\n// @isolate\nconst scheme = newScheme()\ntest('a', () => {\n    expect(scheme).toBeDefined()\n})\n`,
    'non-ASCII text before the reference': `// @isolate\nconst scheme = newScheme()\n// @isolate\ntest('größe 😀', () => { const é = '😀'; expect(scheme).toBeDefined() })\n`,
  }

  test.each(Object.entries(variants))('%s', (_, code) => {
    const result = transform(code)
    for (const [needle, originalNeedle] of [
      ['expect(', 'expect('],
      ['.toBeDefined', '.toBeDefined'],
      ['__vi_iso_b_scheme.value)', 'scheme)'],
      ['newScheme()', 'newScheme()'],
      [`test('`, `test('`],
    ]) {
      const { mapped, expected } = trace(result, code, needle, 0, originalNeedle)
      expect({ needle, ...mapped }).toStrictEqual({ needle, ...expected })
    }
  })

  // The prologue goes after the leading comments, on a line that already exists: every original line keeps its number,
  // and everything on the line the prologue joins keeps its mapping.
  const leading: Record<string, string> = {
    'a hashbang': `#!/usr/bin/env vitest\n// @isolate\nconst scheme = newScheme()\ntest('a', () => {\n  expect(scheme).toBeDefined()\n})\n`,
    'a @jsxImportSource docblock': `/** @jsxImportSource preact */\nimport { test } from 'vitest'\n// @isolate\nconst scheme = newScheme()\ntest('a', () => {\n  expect(scheme).toBeDefined()\n})\n`,
    'a multi-line environment docblock and a blank line': `/**\n * @vitest-environment node\n * @jsxRuntime classic\n */\n\n// @isolate\nconst scheme = newScheme()\ntest('a', () => {\n  expect(scheme).toBeDefined()\n})\n`,
    'a hashbang, a pragma and a block marker on the line of the binding': `#!/usr/bin/env vitest\n/** @jsx h */\n/* @isolate */ const scheme = newScheme()\ntest('a', () => {\n  expect(scheme).toBeDefined()\n})\n`,
    'CRLF line comments': `// @vitest-environment node\r\n// @isolate\r\nconst scheme = newScheme()\r\ntest('a', () => {\r\n  expect(scheme).toBeDefined()\r\n})\r\n`,
  }

  test.each(Object.entries(leading))('after %s', (_, code) => {
    const result = transform(code)
    const lines = code.split('\n')
    // Every line without the marked binding is still there at its number, at most with the prologue added to it.
    const outputLines = result.code.split('\n')
    const unchanged = (line: string, index: number) => ({ index, line: line.includes('scheme') ? '' : line })
    expect(outputLines.slice(0, lines.length).map((line, index) => unchanged(line.replace(/import \{ __vi_iso_runtime \}.*?resources: \{\} \}\);/, ''), index)))
      .toStrictEqual(lines.map(unchanged))
    const comments = [...code.matchAll(/\/\*[\s\S]*?\*\/|\/\/[^\r\n]*|#![^\n]*/g)].map((m) => m[0].slice(0, 12))
    const prologueAt = result.code.indexOf('import { __vi_iso_runtime }')
    const firstStatement = code.search(/\b(?:import|const|test)\b/)
    for (const comment of comments.filter((c) => code.indexOf(c) < firstStatement))
      expect({ comment, beforePrologue: result.code.indexOf(comment) < prologueAt }).toStrictEqual({ comment, beforePrologue: true })
    const pairs = [
      ...comments.map((comment) => [comment, comment]),
      ['const __vi_iso_b_scheme', 'const scheme'],
      ['newScheme()', 'newScheme()'],
      [`test('a'`, `test('a'`],
      ['expect(', 'expect('],
      ['__vi_iso_b_scheme.value)', 'scheme)'],
      ['.toBeDefined', '.toBeDefined'],
    ]
    for (const [needle, originalNeedle] of pairs) {
      const { mapped, expected } = trace(result, code, needle, 0, originalNeedle)
      expect({ needle, ...mapped }).toStrictEqual({ needle, ...expected })
    }
  })

  test('an instrumented factory module', () => {
    const code = `export function newScheme() {\n  return new Scheme()\n}\nexport const other = () => new Other()\n`
    const id = '/repo/scheme/index.ts'
    const result = instrumentFactories(code, id, [
      { name: 'scheme', id, export: 'newScheme', uses: [] },
      { name: 'other', id, export: 'other', uses: [] },
    ], { runtimeId: 'vitest-isolation/runtime' })!
    const map = new TraceMap(result.map as never)
    for (const needle of ['export function', 'new Scheme()', '() => new Other()']) {
      expect(originalPositionFor(map, positionOf(result.code, needle))).toStrictEqual({ source: id, ...positionOf(code, needle), name: null })
    }
  })
})

import { describe, expect, test } from 'vitest'
import { transformTestFile } from '../../plugin/transform/index.ts'
import type { ResolvedResource, TransformOptions } from '../../plugin/transform/index.ts'
import { leadingCommentsEnd } from '../../plugin/transform/trivia.ts'

const OPTIONS: TransformOptions = { root: '/repo', mode: 'marked', runtimeId: 'vitest-isolation/runtime', resources: [] }
// The prologue goes after the leading comments, so it is found wherever it is (once).
const PROLOGUE_RE = /import \{ __vi_iso_runtime \}[^\n]*?const __vi_iso_file = __vi_iso_runtime\.file\(\{[^\n]*?\}\);/

/** Strips the common indentation of a template literal's lines, so cases read like files. */
function source(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '\n').split('\n')
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length))
  return lines.map((l) => l.slice(indent)).join('\n')
}

/** The transformed code with the one-line prologue shortened to `<prologue>`, or `undefined` when untouched. */
function transform(text: string, options: Partial<TransformOptions> = {}, id = '/repo/tests/a.test.ts'): string | undefined {
  const result = transformTestFile(source(text), id, { ...OPTIONS, ...options })
  return result?.code.replace(PROLOGUE_RE, '<prologue>').trimEnd()
}

/** The full transformed code, prologue included. */
function full(text: string, options: Partial<TransformOptions> = {}, id = '/repo/tests/a.test.ts'): string | undefined {
  return transformTestFile(source(text), id, { ...OPTIONS, ...options })?.code.trimEnd()
}

describe('no-op files', () => {
  test('file without marker text, no declared resources', () => {
    expect(transform(`
      import { test } from 'vitest'
      test('a', () => {})
    `)).toMatchInlineSnapshot(`undefined`)
  })

  test('marker text only inside strings and templates', () => {
    expect(transform(`
      const a = '// @isolate'
      const b = \`
      // @isolate
      \`
      test('a', () => { expect(a).toBe("/* @isolate */") })
    `)).toMatchInlineSnapshot(`undefined`)
  })

  test('marker text in prose is not a marker', () => {
    expect(transform(`
      // Tests here do not use @isolate markers.
      test('a', () => {})
    `)).toMatchInlineSnapshot(`undefined`)
  })
})

describe('declared resources: every included test file gets the prologue', () => {
  const resources: ResolvedResource[] = [{ name: 'scheme', id: '/repo/scheme/index.ts', export: 'newScheme', uses: [] }]

  test('a file without marker text gets the prologue only, after its last line (no parse, no roots, no map)', () => {
    const code = source(`
      import { test } from 'vitest'
      const seen = new Set()
      test('a', ({ scheme }) => seen.add(scheme))
    `)
    const result = transformTestFile(code, '/repo/tests/a.test.ts', { ...OPTIONS, resources })
    expect(result?.map).toBeNull()
    expect(result?.code.startsWith(code)).toBe(true)
    expect(result?.code.trimEnd()).toMatchInlineSnapshot(`
      "import { test } from 'vitest'
      const seen = new Set()
      test('a', ({ scheme }) => seen.add(scheme))

      ;import { __vi_iso_runtime } from "vitest-isolation/runtime";import { newScheme as __vi_iso_r_scheme } from "/repo/scheme/index.ts";const __vi_iso_file = __vi_iso_runtime.file({ file: "tests/a.test.ts", isolateAll: false, resources: { scheme: { factory: __vi_iso_r_scheme, uses: [] } } });"
    `)
    // Not parsed: a syntax error is left to the compiler after us.
    expect(full(`test('a', () => {`, { resources })).toContain(`test('a', () => {`)
  })

  test('marker text only in prose', () => {
    expect(full(`
      // Tests here do not use @isolate markers.
      test('a', ({ scheme }) => scheme)
    `, { resources })).toMatchInlineSnapshot(`
      "// Tests here do not use @isolate markers.
      import { __vi_iso_runtime } from "vitest-isolation/runtime";import { newScheme as __vi_iso_r_scheme } from "/repo/scheme/index.ts";const __vi_iso_file = __vi_iso_runtime.file({ file: "tests/a.test.ts", isolateAll: false, resources: { scheme: { factory: __vi_iso_r_scheme, uses: [] } } });test('a', ({ scheme }) => scheme)"
    `)
  })
})

describe('marker forms', () => {
  test('line comment above test', () => {
    expect(transform(`
      // @isolate
      test('a', () => {})
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>__vi_iso_file.mark(2, 1, () => test('a', () => {}))"
    `)
  })

  test('block comment above it', () => {
    expect(transform(`
      /* @isolate */
      it('a', () => {})
    `)).toMatchInlineSnapshot(`
      "/* @isolate */<prologue>
      __vi_iso_file.mark(2, 1, () => it('a', () => {}))"
    `)
  })

  test('JSDoc comment above describe', () => {
    expect(transform(`
      /** @isolate */
      describe('s', () => {})
    `)).toMatchInlineSnapshot(`
      "/** @isolate */<prologue>
      __vi_iso_file.mark(2, 1, () => describe('s', () => {}))"
    `)
  })

  test('multi-line JSDoc with a description and an @isolate line', () => {
    expect(transform(`
      /**
       * Uses the shared scheme.
       * @isolate
       */
      suite('s', () => {})
    `)).toMatchInlineSnapshot(`
      "/**
       * Uses the shared scheme.
       * @isolate
       */<prologue>
      __vi_iso_file.mark(5, 1, () => suite('s', () => {}))"
    `)
  })

  test('block marker before the call on the same line', () => {
    expect(transform(`
      /* @isolate */ test('a', () => {})
    `)).toMatchInlineSnapshot(`"/* @isolate */<prologue> __vi_iso_file.mark(1, 16, () => test('a', () => {}))"`)
  })

  test('block marker after code on the same line as the call', () => {
    expect(transform(`
      describe('s', () => { /* @isolate */ test('a', () => {}) })
    `)).toMatchInlineSnapshot(`"<prologue>describe('s', () => { /* @isolate */ __vi_iso_file.mark(1, 38, () => test('a', () => {})) })"`)
  })

  test('other comments between marker and call', () => {
    expect(transform(`
      // @isolate
      // the scheme is mutated here
      /* eslint-disable-next-line */
      test('a', () => {})
    `)).toMatchInlineSnapshot(`
      "// @isolate
      // the scheme is mutated here
      /* eslint-disable-next-line */<prologue>
      __vi_iso_file.mark(4, 1, () => test('a', () => {}))"
    `)
  })

  test('marker with a trailing semicolon statement and CRLF line endings', () => {
    expect(transform('// @isolate\r\ntest(\'a\', () => {});\r\ntest(\'b\', () => {});\r\n')).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>__vi_iso_file.mark(2, 1, () => test('a', () => {}));
      test('b', () => {});"
    `)
  })
})

describe('test and suite chains', () => {
  test('modifier chains', () => {
    expect(transform(`
      // @isolate
      test.concurrent('a', () => {})
      // @isolate
      it.only.fails('b', () => {})
      // @isolate
      describe.skip.sequential('c', () => {})
      // @isolate
      describe.shuffle('d', () => {})
      // @isolate
      test.todo('e')
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>__vi_iso_file.mark(2, 1, () => test.concurrent('a', () => {}))
      // @isolate
      __vi_iso_file.mark(4, 1, () => it.only.fails('b', () => {}))
      // @isolate
      __vi_iso_file.mark(6, 1, () => describe.skip.sequential('c', () => {}))
      // @isolate
      __vi_iso_file.mark(8, 1, () => describe.shuffle('d', () => {}))
      // @isolate
      __vi_iso_file.mark(10, 1, () => test.todo('e'))"
    `)
  })

  test('each and for tables', () => {
    expect(transform(`
      // @isolate
      test.each([1, 2])('a %i', (n) => {})
      // @isolate
      it.concurrent.for([[1, 2]])('b %i', ([a, b]) => {})
      // @isolate
      describe.each\`
        a    | b
        \${1} | \${2}
      \`('c $a', ({ a, b }) => {})
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>__vi_iso_file.mark(2, 1, () => test.each([1, 2])('a %i', (n) => {}))
      // @isolate
      __vi_iso_file.mark(4, 1, () => it.concurrent.for([[1, 2]])('b %i', ([a, b]) => {}))
      // @isolate
      __vi_iso_file.mark(6, 1, () => describe.each\`
        a    | b
        \${1} | \${2}
      \`('c $a', ({ a, b }) => {}))"
    `)
  })

  test('skipIf and runIf', () => {
    expect(transform(`
      // @isolate
      test.skipIf(process.env.CI)('a', () => {})
      // @isolate
      describe.runIf(isLinux).concurrent('b', () => {})
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>__vi_iso_file.mark(2, 1, () => test.skipIf(process.env.CI)('a', () => {}))
      // @isolate
      __vi_iso_file.mark(4, 1, () => describe.runIf(isLinux).concurrent('b', () => {}))"
    `)
  })

  test('functions made by test.extend', () => {
    expect(transform(`
      const myTest = test.extend({ page: async ({}, use) => use(1) })
      export const apiTest = test.extend({}).extend({ api: 1 })
      const derived = myTest.extend({ more: 2 })
      // @isolate
      myTest('a', ({ page }) => {})
      // @isolate
      apiTest.concurrent('b', () => {})
      // @isolate
      derived.each([1])('c', () => {})
    `)).toMatchInlineSnapshot(`
      "<prologue>const myTest = test.extend({ page: async ({}, use) => use(1) })
      export const apiTest = test.extend({}).extend({ api: 1 })
      const derived = myTest.extend({ more: 2 })
      // @isolate
      __vi_iso_file.mark(5, 1, () => myTest('a', ({ page }) => {}))
      // @isolate
      __vi_iso_file.mark(7, 1, () => apiTest.concurrent('b', () => {}))
      // @isolate
      __vi_iso_file.mark(9, 1, () => derived.each([1])('c', () => {}))"
    `)
  })

  test('marked test inside a describe body', () => {
    expect(transform(`
      describe('s', () => {
        test('plain', () => {})
        // @isolate
        test('isolated', () => {})
        describe('inner', function () {
          // @isolate
          it('deep', () => {})
        })
      })
    `)).toMatchInlineSnapshot(`
      "<prologue>describe('s', () => {
        test('plain', () => {})
        // @isolate
        __vi_iso_file.mark(4, 3, () => test('isolated', () => {}))
        describe('inner', function () {
          // @isolate
          __vi_iso_file.mark(7, 5, () => it('deep', () => {}))
        })
      })"
    `)
  })

  test('marked describe that contains a marked test', () => {
    expect(transform(`
      // @isolate
      describe('outer', () => {
        // @isolate
        test('inner', () => {})
      })
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>__vi_iso_file.mark(2, 1, () => describe('outer', () => {
        // @isolate
        __vi_iso_file.mark(4, 3, () => test('inner', () => {}))
      }))"
    `)
  })

  test('marked call inside a helper that defines tests', () => {
    expect(transform(`
      function defineCases(name: string) {
        // @isolate
        test(name, () => {})
      }
      defineCases('x')
    `)).toMatchInlineSnapshot(`
      "<prologue>function defineCases(name: string) {
        // @isolate
        __vi_iso_file.mark(3, 3, () => test(name, () => {}))
      }
      defineCases('x')

      ;__vi_iso_file.roots([["defineCases", 1, () => defineCases]]);"
    `)
  })
})

describe('file marker and mode', () => {
  test('file marker in the leading comments', () => {
    expect(full(`
      // @vitest-isolate
      import { test } from 'vitest'
      test('a', () => {})
    `)).toMatchInlineSnapshot(`
      "// @vitest-isolate
      import { __vi_iso_runtime } from "vitest-isolation/runtime";const __vi_iso_file = __vi_iso_runtime.file({ file: "tests/a.test.ts", isolateAll: true, resources: {} });import { test } from 'vitest'
      test('a', () => {})"
    `)
  })

  test('file marker as a tag of the leading JSDoc block', () => {
    expect(full(`
      /**
       * Controller tests.
       * @vitest-environment node
       * @vitest-isolate
       */
      test('a', () => {})
    `)).toMatchInlineSnapshot(`
      "/**
       * Controller tests.
       * @vitest-environment node
       * @vitest-isolate
       */import { __vi_iso_runtime } from "vitest-isolation/runtime";const __vi_iso_file = __vi_iso_runtime.file({ file: "tests/a.test.ts", isolateAll: true, resources: {} });
      test('a', () => {})"
    `)
  })

  test("mode 'all' without markers adds only the prologue", () => {
    expect(full(`
      import { test } from 'vitest'
      test('a', () => {})
    `, { mode: 'all' })).toMatchInlineSnapshot(`
      "import { __vi_iso_runtime } from "vitest-isolation/runtime";const __vi_iso_file = __vi_iso_runtime.file({ file: "tests/a.test.ts", isolateAll: true, resources: {} });import { test } from 'vitest'
      test('a', () => {})"
    `)
  })

  test("mode 'all' with markers", () => {
    expect(full(`
      // @isolate
      const value = {}
      test('a', () => value)
    `, { mode: 'all' })).toMatchInlineSnapshot(`
      "// @isolate
      import { __vi_iso_runtime } from "vitest-isolation/runtime";const __vi_iso_file = __vi_iso_runtime.file({ file: "tests/a.test.ts", isolateAll: true, resources: {} });const __vi_iso_b_value = __vi_iso_file.binding("value", "const", 2, 1, () => ({}))
      test('a', () => __vi_iso_b_value.value)"
    `)
  })

  test('resource imports in the prologue', () => {
    const resources: ResolvedResource[] = [
      { name: 'scheme', id: '/repo/scheme/index.ts', export: 'newScheme', uses: [] },
      { name: 'client', id: '/repo/client/index.ts', export: 'default', uses: ['scheme'] },
      { name: 'odd', id: '/repo/odd.ts', export: 'make-odd', uses: ['scheme', 'client'] },
    ]
    expect(full(`
      // @isolate
      test('a', () => {})
    `, { resources })).toMatchInlineSnapshot(`
      "// @isolate
      import { __vi_iso_runtime } from "vitest-isolation/runtime";import { newScheme as __vi_iso_r_scheme } from "/repo/scheme/index.ts";import __vi_iso_r_client from "/repo/client/index.ts";import { "make-odd" as __vi_iso_r_odd } from "/repo/odd.ts";const __vi_iso_file = __vi_iso_runtime.file({ file: "tests/a.test.ts", isolateAll: false, resources: { scheme: { factory: __vi_iso_r_scheme, uses: [] }, client: { factory: __vi_iso_r_client, uses: ["scheme"] }, odd: { factory: __vi_iso_r_odd, uses: ["scheme","client"] } } });__vi_iso_file.mark(2, 1, () => test('a', () => {}))"
    `)
  })

  test('prologue after a hashbang, file relative to the root', () => {
    expect(full(`
      #!/usr/bin/env node
      // @isolate
      test('a', () => {})
    `, { root: '/repo/tests' }, '/repo/tests/deep/b.test.ts?v=123')).toMatchInlineSnapshot(`
      "#!/usr/bin/env node
      // @isolate
      import { __vi_iso_runtime } from "vitest-isolation/runtime";const __vi_iso_file = __vi_iso_runtime.file({ file: "deep/b.test.ts", isolateAll: false, resources: {} });__vi_iso_file.mark(3, 1, () => test('a', () => {}))"
    `)
  })
})

describe('prologue placement: after the leading comments, no original line moved', () => {
  test('@jsxImportSource pragma above a marked binding', () => {
    expect(transform(`
      /** @jsxImportSource preact */
      import { test } from 'vitest'
      // @isolate
      const ui = makeKit()
      test('a', () => <ui.Button />)
    `, {}, '/repo/tests/a.test.tsx')).toMatchInlineSnapshot(`
      "/** @jsxImportSource preact */<prologue>
      import { test } from 'vitest'
      // @isolate
      const __vi_iso_b_ui = __vi_iso_file.binding("ui", "const", 4, 1, () => makeKit())
      test('a', () => <__vi_iso_b_ui.value.Button />)"
    `)
  })

  test('@jsx and @jsxFrag pragmas, then a line comment', () => {
    expect(transform(`
      /** @jsx h */
      /** @jsxFrag Fragment */
      // components render with h
      // @isolate
      test('a', () => <></>)
    `, {}, '/repo/tests/a.test.jsx')).toMatchInlineSnapshot(`
      "/** @jsx h */
      /** @jsxFrag Fragment */
      // components render with h
      // @isolate
      <prologue>__vi_iso_file.mark(5, 1, () => test('a', () => <></>))"
    `)
  })

  test('@jsxRuntime classic and the test environment in one docblock', () => {
    expect(transform(`
      /**
       * @jsxRuntime classic
       * @vitest-environment node
       */

      import React from 'react'
      // @isolate
      test('a', () => <div />)
    `, {}, '/repo/tests/a.test.jsx')).toMatchInlineSnapshot(`
      "/**
       * @jsxRuntime classic
       * @vitest-environment node
       */<prologue>

      import React from 'react'
      // @isolate
      __vi_iso_file.mark(8, 1, () => test('a', () => <div />))"
    `)
  })

  test('a hashbang, then a block comment', () => {
    expect(transform(`
      #!/usr/bin/env node
      /* @vitest-environment node */
      // @isolate
      test('a', () => {})
    `)).toMatchInlineSnapshot(`
      "#!/usr/bin/env node
      /* @vitest-environment node */
      // @isolate
      <prologue>__vi_iso_file.mark(4, 1, () => test('a', () => {}))"
    `)
  })

  test('a marked binding right after a block marker on the same line', () => {
    expect(transform(`
      /* @isolate */const value = {}
      test('a', () => value)
    `)).toMatchInlineSnapshot(`
      "/* @isolate */<prologue>const __vi_iso_b_value = __vi_iso_file.binding("value", "const", 1, 15, () => ({}))
      test('a', () => __vi_iso_b_value.value)"
    `)
  })

  test('a marked reference right after the leading comment', () => {
    expect(transform('/* counts */count++\n// @isolate\nlet count = 0\n')).toMatchInlineSnapshot(`
      "/* counts */<prologue>__vi_iso_b_count.value++
      // @isolate
      let __vi_iso_b_count = __vi_iso_file.binding("count", "let", 3, 1, () => 0)"
    `)
  })

  test("mode 'all': a file of comments that ends in a line comment gets the prologue on a new last line", () => {
    expect(full('// nothing here yet', { mode: 'all' })).toMatchInlineSnapshot(`
      "// nothing here yet
      import { __vi_iso_runtime } from "vitest-isolation/runtime";const __vi_iso_file = __vi_iso_runtime.file({ file: "tests/a.test.ts", isolateAll: true, resources: {} });"
    `)
  })
})

describe('module roots', () => {
  test('every unmarked top-level value binding, appended on a new last line', () => {
    expect(transform(`
      import { test } from 'vitest'
      import type { Scheme } from './types.ts'
      import { cache, type Key } from '../helpers/cache.ts'
      import * as helpers from './helpers.ts'
      import defaults from '/abs/defaults.ts'
      export const seen: unknown[] = []
      let { a, b: [c, ...d] } = { a: 1, b: [2] }
      var legacy = 1
      function remember() {}
      function overload(): void
      function overload(x?: number) { return x }
      export class Repo {}
      declare const ambient: number
      enum Kind { A }
      interface Shape {}
      type Alias = Shape
      const myTest = test.extend({})
      // @isolate
      const scheme = {}
      test('a', () => scheme) // ends in a line comment`)).toMatchInlineSnapshot(`
        "<prologue>import { test } from 'vitest'
        import type { Scheme } from './types.ts'
        import { cache, type Key } from '../helpers/cache.ts'
        import * as helpers from './helpers.ts'
        import defaults from '/abs/defaults.ts'
        export const seen: unknown[] = []
        let { a, b: [c, ...d] } = { a: 1, b: [2] }
        var legacy = 1
        function remember() {}
        function overload(): void
        function overload(x?: number) { return x }
        export class Repo {}
        declare const ambient: number
        enum Kind { A }
        interface Shape {}
        type Alias = Shape
        const myTest = test.extend({})
        // @isolate
        const __vi_iso_b_scheme = __vi_iso_file.binding("scheme", "const", 19, 1, () => ({}))
        test('a', () => __vi_iso_b_scheme.value) // ends in a line comment
        ;__vi_iso_file.roots([["cache", 3, () => cache], ["helpers", 4, () => helpers], ["defaults", 5, () => defaults], ["seen", 6, () => seen], ["a", 7, () => a], ["c", 7, () => c], ["d", 7, () => d], ["legacy", 8, () => legacy], ["remember", 9, () => remember], ["overload", 11, () => overload], ["Repo", 12, () => Repo]]);"
      `)
  })

  test("mode 'all' without markers registers the roots too; a file with none gets no epilogue", () => {
    expect(transform(`
      import { test } from 'vitest'
      const seen = new Set()
      test('a', () => seen.add(1))
    `, { mode: 'all' })).toMatchInlineSnapshot(`
      "<prologue>import { test } from 'vitest'
      const seen = new Set()
      test('a', () => seen.add(1))

      ;__vi_iso_file.roots([["seen", 2, () => seen]]);"
    `)
    expect(transform(`
      import { test } from 'vitest'
      test('a', () => {})
    `, { mode: 'all' })).toMatchInlineSnapshot(`
      "<prologue>import { test } from 'vitest'
      test('a', () => {})"
    `)
  })
})

describe('marked bindings', () => {
  test('marked const', () => {
    expect(transform(`
      import { newScheme } from '../scheme'
      // @isolate
      const scheme = newScheme()
      test('a', () => {
        scheme.addKnownTypes([])
      })
    `)).toMatchInlineSnapshot(`
      "<prologue>import { newScheme } from '../scheme'
      // @isolate
      const __vi_iso_b_scheme = __vi_iso_file.binding("scheme", "const", 3, 1, () => newScheme())
      test('a', () => {
        __vi_iso_b_scheme.value.addKnownTypes([])
      })

      ;__vi_iso_file.roots([["newScheme", 1, () => newScheme]]);"
    `)
  })

  test('marked let without initializer, assigned in beforeEach', () => {
    expect(transform(`
      // @isolate
      let client: Client
      beforeEach(() => {
        client = newClient()
      })
      test('a', () => client.get())
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>let __vi_iso_b_client = __vi_iso_file.binding("client", "let", 2, 1, () => undefined)
      beforeEach(() => {
        __vi_iso_b_client.value = newClient()
      })
      test('a', () => __vi_iso_b_client.value.get())"
    `)
  })

  test('several declarators in one marked declaration', () => {
    expect(transform(`
      // @isolate
      let seen = new Set(), count = 0
      test('a', () => { seen.add(count) })
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>let __vi_iso_b_seen = __vi_iso_file.binding("seen", "let", 2, 1, () => new Set()), __vi_iso_b_count = __vi_iso_file.binding("count", "let", 2, 23, () => 0)
      test('a', () => { __vi_iso_b_seen.value.add(__vi_iso_b_count.value) })"
    `)
  })

  test('object literal initializer keeps its parentheses', () => {
    expect(transform(`
      // @isolate
      const state = { items: [] as string[] }
      // @isolate
      const first = { a: 1 }.a
      test('a', () => state.items.push(String(first)))
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>const __vi_iso_b_state = __vi_iso_file.binding("state", "const", 2, 1, () => ({ items: [] as string[] }))
      // @isolate
      const __vi_iso_b_first = __vi_iso_file.binding("first", "const", 4, 1, () => ({ a: 1 }.a))
      test('a', () => __vi_iso_b_state.value.items.push(String(__vi_iso_b_first.value)))"
    `)
  })

  test('parenthesised arrow initializer', () => {
    expect(transform(`
      // @isolate
      const f = (() => 1)
      test('a', () => f())
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>const __vi_iso_b_f = __vi_iso_file.binding("f", "const", 2, 1, () => ({ f: (() => 1) }).f)
      test('a', () => __vi_iso_b_f.value())"
    `)
  })

  test('parenthesised object literal initializer', () => {
    expect(transform(`
      // @isolate
      const o = ({ a: 1 })
      test('a', () => o.a)
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>const __vi_iso_b_o = __vi_iso_file.binding("o", "const", 2, 1, () => ({ a: 1 }))
      test('a', () => __vi_iso_b_o.value.a)"
    `)
  })

  test('parenthesised sequence initializer', () => {
    expect(transform(`
      // @isolate
      const n = (1, 2)
      test('a', () => n)
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>const __vi_iso_b_n = __vi_iso_file.binding("n", "const", 2, 1, () => (1, 2))
      test('a', () => __vi_iso_b_n.value)"
    `)
  })

  test('parenthesised literal in a let, with comments around the parentheses', () => {
    expect(transform(`
      // @isolate
      let t = /* zero */ (0) /* done */, u = ((t))
      test('a', () => t + u)
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>let __vi_iso_b_t = __vi_iso_file.binding("t", "let", 2, 1, () => (0)) /* done */, __vi_iso_b_u = __vi_iso_file.binding("u", "let", 2, 36, () => ((__vi_iso_b_t.value)))
      test('a', () => __vi_iso_b_t.value + __vi_iso_b_u.value)"
    `)
  })

  test('anonymous functions and classes keep the name the declaration gives them', () => {
    expect(transform(`
      // @isolate
      const arrow = (x: number) => x
      // @isolate
      const fn = function () {}, named = function inner() {}
      // @isolate
      const Klass = class { static make() {} }
      // @isolate
      const typed = ((x) => x) as (x: number) => number
      // @isolate
      let __proto__ = () => {}
      test('a', () => [arrow, fn, named, Klass, typed, __proto__])
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>const __vi_iso_b_arrow = __vi_iso_file.binding("arrow", "const", 2, 1, () => ({ arrow: (x: number) => x }).arrow)
      // @isolate
      const __vi_iso_b_fn = __vi_iso_file.binding("fn", "const", 4, 1, () => ({ fn: function () {} }).fn), __vi_iso_b_named = __vi_iso_file.binding("named", "const", 4, 28, () => function inner() {})
      // @isolate
      const __vi_iso_b_Klass = __vi_iso_file.binding("Klass", "const", 6, 1, () => ({ Klass: class { static make() {} } }).Klass)
      // @isolate
      const __vi_iso_b_typed = __vi_iso_file.binding("typed", "const", 8, 1, () => ({ typed: ((x) => x) as (x: number) => number }).typed)
      // @isolate
      let __vi_iso_b___proto__ = __vi_iso_file.binding("__proto__", "let", 10, 1, () => ({ ["__proto__"]: () => {} })["__proto__"])
      test('a', () => [__vi_iso_b_arrow.value, __vi_iso_b_fn.value, __vi_iso_b_named.value, __vi_iso_b_Klass.value, __vi_iso_b_typed.value, __vi_iso_b___proto__.value])"
    `)
  })

  test('type annotation and definite assignment go with the name', () => {
    expect(transform(`
      // @isolate
      const registry: Map<string, Kind> = new Map()
      // @isolate
      let current!: Kind
      test('a', () => registry.set('x', current))
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>const __vi_iso_b_registry = __vi_iso_file.binding("registry", "const", 2, 1, () => new Map())
      // @isolate
      let __vi_iso_b_current = __vi_iso_file.binding("current", "let", 4, 1, () => undefined)
      test('a', () => __vi_iso_b_registry.value.set('x', __vi_iso_b_current.value))"
    `)
  })

  test('initializer reads another marked binding', () => {
    expect(transform(`
      // @isolate
      const scheme = newScheme()
      // @isolate
      const client = newFakeClient({ scheme })
      test('a', () => client.create(scheme))
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>const __vi_iso_b_scheme = __vi_iso_file.binding("scheme", "const", 2, 1, () => newScheme())
      // @isolate
      const __vi_iso_b_client = __vi_iso_file.binding("client", "const", 4, 1, () => newFakeClient({ scheme: __vi_iso_b_scheme.value }))
      test('a', () => __vi_iso_b_client.value.create(__vi_iso_b_scheme.value))"
    `)
  })

  test('initializer that is only another marked binding, and an object literal that uses one', () => {
    expect(transform(`
      // @isolate
      const scheme = newScheme()
      // @isolate
      let alias = scheme, holder = { scheme }
      test('a', () => [alias, holder])
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>const __vi_iso_b_scheme = __vi_iso_file.binding("scheme", "const", 2, 1, () => newScheme())
      // @isolate
      let __vi_iso_b_alias = __vi_iso_file.binding("alias", "let", 4, 1, () => __vi_iso_b_scheme.value), __vi_iso_b_holder = __vi_iso_file.binding("holder", "let", 4, 21, () => ({ scheme: __vi_iso_b_scheme.value }))
      test('a', () => [__vi_iso_b_alias.value, __vi_iso_b_holder.value])"
    `)
  })

  test('let reassignment forms', () => {
    expect(transform(`
      // @isolate
      let n = 0
      test('a', () => {
        n = 1
        n += 2
        n++
        --n
        n ??= 3
        ;[n] = [4]
        ;({ n } = { n: 5 })
        ;({ n = 6 } = {})
        ;({ value: n } = { value: 7 })
        ;[...n] = [8]
        ;({ deep: { n } } = { deep: { n: 11 } })
        for (n of [9]) {}
        for (n in { ten: 10 }) {}
      })
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>let __vi_iso_b_n = __vi_iso_file.binding("n", "let", 2, 1, () => 0)
      test('a', () => {
        __vi_iso_b_n.value = 1
        __vi_iso_b_n.value += 2
        __vi_iso_b_n.value++
        --__vi_iso_b_n.value
        __vi_iso_b_n.value ??= 3
        ;[__vi_iso_b_n.value] = [4]
        ;({ n: __vi_iso_b_n.value } = { n: 5 })
        ;({ n: __vi_iso_b_n.value = 6 } = {})
        ;({ value: __vi_iso_b_n.value } = { value: 7 })
        ;[...__vi_iso_b_n.value] = [8]
        ;({ deep: { n: __vi_iso_b_n.value } } = { deep: { n: 11 } })
        for (__vi_iso_b_n.value of [9]) {}
        for (__vi_iso_b_n.value in { ten: 10 }) {}
      })"
    `)
  })

  test('shorthand properties and spread', () => {
    expect(transform(`
      // @isolate
      const scheme = newScheme()
      test('a', () => {
        const deps = { scheme, other: 1, ...scheme }
        call({ scheme })
      })
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>const __vi_iso_b_scheme = __vi_iso_file.binding("scheme", "const", 2, 1, () => newScheme())
      test('a', () => {
        const deps = { scheme: __vi_iso_b_scheme.value, other: 1, ...__vi_iso_b_scheme.value }
        call({ scheme: __vi_iso_b_scheme.value })
      })"
    `)
  })

  test('typeof in value position is rewritten, in type position it is not', () => {
    expect(transform(`
      // @isolate
      const scheme = newScheme()
      type SchemeType = typeof scheme
      let copy: typeof scheme | undefined
      test('a', () => {
        expect(typeof scheme).toBe('object')
        const other = cast<typeof scheme>(scheme)
        const fn = (s: typeof scheme): typeof scheme => s
      })
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>const __vi_iso_b_scheme = __vi_iso_file.binding("scheme", "const", 2, 1, () => newScheme())
      type SchemeType = typeof scheme
      let copy: typeof scheme | undefined
      test('a', () => {
        expect(typeof __vi_iso_b_scheme.value).toBe('object')
        const other = cast<typeof scheme>(__vi_iso_b_scheme.value)
        const fn = (s: typeof scheme): typeof scheme => s
      })

      ;__vi_iso_file.roots([["copy", 4, () => copy]]);"
    `)
  })

  test('TypeScript expressions around a marked binding', () => {
    expect(transform(`
      // @isolate
      let scheme = newScheme() as Scheme
      interface Holder { scheme: Scheme }
      declare const ambient: typeof scheme
      test('a', () => {
        const a = scheme as unknown as Holder
        const b = scheme!
        const c = scheme satisfies Scheme
        const d = <Scheme>scheme
        const e = make<Scheme>(scheme)
        scheme! = newScheme()
        ;(scheme as Scheme) = newScheme()
      })
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>let __vi_iso_b_scheme = __vi_iso_file.binding("scheme", "let", 2, 1, () => newScheme() as Scheme)
      interface Holder { scheme: Scheme }
      declare const ambient: typeof scheme
      test('a', () => {
        const a = __vi_iso_b_scheme.value as unknown as Holder
        const b = __vi_iso_b_scheme.value!
        const c = __vi_iso_b_scheme.value satisfies Scheme
        const d = <Scheme>__vi_iso_b_scheme.value
        const e = make<Scheme>(__vi_iso_b_scheme.value)
        __vi_iso_b_scheme.value! = newScheme()
        ;(__vi_iso_b_scheme.value as Scheme) = newScheme()
      })"
    `)
  })

  test('member properties, object keys, methods and labels are not references', () => {
    expect(transform(`
      // @isolate
      const item = {}
      test('a', () => {
        obj.item = { item: 1, [item]: 2, item() {}, get item() { return 1 } }
        item: for (;;) { break item }
        class K { item = 1; static item() {} }
        return obj?.item
      })
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>const __vi_iso_b_item = __vi_iso_file.binding("item", "const", 2, 1, () => ({}))
      test('a', () => {
        obj.item = { item: 1, [__vi_iso_b_item.value]: 2, item() {}, get item() { return 1 } }
        item: for (;;) { break item }
        class K { item = 1; static item() {} }
        return obj?.item
      })"
    `)
  })

  test('closures and nested functions', () => {
    expect(transform(`
      // @isolate
      const cache = new Map()
      function lookup(key) {
        return () => cache.get(key)
      }
      const helper = function () { return cache }
      class Repo { get() { return cache } static size = cache.size }
      test('a', async () => { await Promise.resolve().then(() => cache.clear()) })
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>const __vi_iso_b_cache = __vi_iso_file.binding("cache", "const", 2, 1, () => new Map())
      function lookup(key) {
        return () => __vi_iso_b_cache.value.get(key)
      }
      const helper = function () { return __vi_iso_b_cache.value }
      class Repo { get() { return __vi_iso_b_cache.value } static size = __vi_iso_b_cache.value.size }
      test('a', async () => { await Promise.resolve().then(() => __vi_iso_b_cache.value.clear()) })

      ;__vi_iso_file.roots([["lookup", 3, () => lookup], ["helper", 6, () => helper], ["Repo", 7, () => Repo]]);"
    `)
  })
})

describe('shadowing', () => {
  test('function parameters, defaults and destructured parameters', () => {
    expect(transform(`
      // @isolate
      const x = 1
      function a(x) { return x }
      function b({ x }, y = x) { return y }
      function c([, x] = [], ...rest) { return x }
      function d(y = x) { return y }
      const e = (x) => x
      const f = ({ x: renamed }) => x + renamed
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>const __vi_iso_b_x = __vi_iso_file.binding("x", "const", 2, 1, () => 1)
      function a(x) { return x }
      function b({ x }, y = x) { return y }
      function c([, x] = [], ...rest) { return x }
      function d(y = __vi_iso_b_x.value) { return y }
      const e = (x) => x
      const f = ({ x: renamed }) => __vi_iso_b_x.value + renamed

      ;__vi_iso_file.roots([["a", 3, () => a], ["b", 4, () => b], ["c", 5, () => c], ["d", 6, () => d], ["e", 7, () => e], ["f", 8, () => f]]);"
    `)
  })

  test('block scopes: let, const, class, for heads, catch parameters', () => {
    expect(transform(`
      // @isolate
      let x = 1
      test('a', () => {
        { const x = 2; use(x) }
        use(x)
        if (ok) { class x {} new x() }
        for (let x = 0; x < 1; x++) use(x)
        for (const x of list) use(x)
        try {} catch (x) { use(x) }
        try {} catch ({ x }) { use(x) }
        try {} catch { use(x) }
        switch (k) { case 1: let x = 3; use(x) }
      })
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>let __vi_iso_b_x = __vi_iso_file.binding("x", "let", 2, 1, () => 1)
      test('a', () => {
        { const x = 2; use(x) }
        use(__vi_iso_b_x.value)
        if (ok) { class x {} new x() }
        for (let x = 0; x < 1; x++) use(x)
        for (const x of list) use(x)
        try {} catch (x) { use(x) }
        try {} catch ({ x }) { use(x) }
        try {} catch { use(__vi_iso_b_x.value) }
        switch (k) { case 1: let x = 3; use(x) }
      })"
    `)
  })

  test('var is hoisted to the function, function declarations to their block', () => {
    expect(transform(`
      // @isolate
      let x = 1
      function a() {
        use(x)
        if (ok) { var x = 2 }
      }
      function b() {
        x()
        function x() {}
      }
      function c() {
        { function x() {} }
        return x
      }
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>let __vi_iso_b_x = __vi_iso_file.binding("x", "let", 2, 1, () => 1)
      function a() {
        use(x)
        if (ok) { var x = 2 }
      }
      function b() {
        x()
        function x() {}
      }
      function c() {
        { function x() {} }
        return __vi_iso_b_x.value
      }

      ;__vi_iso_file.roots([["a", 3, () => a], ["b", 7, () => b], ["c", 11, () => c]]);"
    `)
  })

  test('named function and class expressions see their own name', () => {
    expect(transform(`
      // @isolate
      let x = 1
      const f = function x() { return x }
      const K = class x { m() { return x } }
      const g = function () { return x }
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>let __vi_iso_b_x = __vi_iso_file.binding("x", "let", 2, 1, () => 1)
      const f = function x() { return x }
      const K = class x { m() { return x } }
      const g = function () { return __vi_iso_b_x.value }

      ;__vi_iso_file.roots([["f", 3, () => f], ["K", 4, () => K], ["g", 5, () => g]]);"
    `)
  })

  test('enums, namespaces and parameter properties', () => {
    expect(transform(`
      // @isolate
      const x = 1
      enum E { A = x, x = 2, B = x }
      namespace N { export const y = x; const x = 3; use(x) }
      class C { constructor(private x: number = 1, public y = x) {} }
      @decorate(x) class D { @field(x) prop = x }
    `)).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>const __vi_iso_b_x = __vi_iso_file.binding("x", "const", 2, 1, () => 1)
      enum E { A = x, x = 2, B = x }
      namespace N { export const y = x; const x = 3; use(x) }
      class C { constructor(private x: number = 1, public y = x) {} }
      @decorate(__vi_iso_b_x.value) class D { @field(__vi_iso_b_x.value) prop = __vi_iso_b_x.value }

      ;__vi_iso_file.roots([["C", 5, () => C], ["D", 6, () => D]]);"
    `)
  })

  test('imports and shadowing in nested arrows inside tests', () => {
    expect(transform(`
      import { x as imported } from './x'
      // @isolate
      const x = imported()
      test('a', () => {
        ;[1].map((x) => x)
        ;[1].map(() => x)
      })
    `)).toMatchInlineSnapshot(`
      "<prologue>import { x as imported } from './x'
      // @isolate
      const __vi_iso_b_x = __vi_iso_file.binding("x", "const", 3, 1, () => imported())
      test('a', () => {
        ;[1].map((x) => x)
        ;[1].map(() => __vi_iso_b_x.value)
      })

      ;__vi_iso_file.roots([["imported", 1, () => imported]]);"
    `)
  })
})

describe('JSX and JavaScript', () => {
  test('a marked component binding used as an element', () => {
    expect(transform(`
      // @isolate
      const Widget = makeWidget()
      test('a', () => render(<Widget.Part a={Widget}><div /><Widget /></Widget.Part>))
    `, {}, '/repo/tests/a.test.tsx')).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>const __vi_iso_b_Widget = __vi_iso_file.binding("Widget", "const", 2, 1, () => makeWidget())
      test('a', () => render(<__vi_iso_b_Widget.value.Part a={__vi_iso_b_Widget.value}><div /><__vi_iso_b_Widget.value /></__vi_iso_b_Widget.value.Part>))"
    `)
  })

  test('a member tag whose object is a lower-case marked binding, with nested members and closing tags', () => {
    expect(transform(`
      // @isolate
      const ui = makeKit()
      test('a', () => render(<ui.Button onClick={() => ui}><ui.A.B>text</ui.A.B></ui.Button>))
      test('b', () => render(<ui />))
    `, {}, '/repo/tests/a.test.tsx')).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>const __vi_iso_b_ui = __vi_iso_file.binding("ui", "const", 2, 1, () => makeKit())
      test('a', () => render(<__vi_iso_b_ui.value.Button onClick={() => __vi_iso_b_ui.value}><__vi_iso_b_ui.value.A.B>text</__vi_iso_b_ui.value.A.B></__vi_iso_b_ui.value.Button>))
      test('b', () => render(<ui />))"
    `)
  })

  test('a member tag of a marked binding in a .jsx file, shadowed in a nested function', () => {
    expect(transform(`
      // @isolate
      let kit = makeKit()
      test('a', () => render(<kit.Form.Field />))
      const Local = (kit) => <kit.Form />
    `, {}, '/repo/tests/a.test.jsx')).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>let __vi_iso_b_kit = __vi_iso_file.binding("kit", "let", 2, 1, () => makeKit())
      test('a', () => render(<__vi_iso_b_kit.value.Form.Field />))
      const Local = (kit) => <kit.Form />

      ;__vi_iso_file.roots([["Local", 4, () => Local]]);"
    `)
  })

  test('JSX in a .js file', () => {
    expect(transform(`
      // @isolate
      test('a', () => render(<App />))
    `, {}, '/repo/tests/a.test.js')).toMatchInlineSnapshot(`
      "// @isolate
      <prologue>__vi_iso_file.mark(2, 1, () => test('a', () => render(<App />)))"
    `)
  })
})

describe('errors in transform', () => {
  test('exported marked binding', () => {
    expect(() => transform(`
      // @isolate
      export const scheme = newScheme()
    `)).toThrowErrorMatchingInlineSnapshot(`
      [MarkerError: [vitest-isolation] The marked binding "scheme" is exported (tests/a.test.ts:1:1)

      > 1 | // @isolate
          | ^
        2 | export const scheme = newScheme()

      A marked binding has one value per test, which an importing module cannot see through an import.
      Fix: Remove the export (export a function that creates the value instead), or remove the marker.]
    `)
  })

  test('destructured marked binding', () => {
    expect(() => transform(`
      // @isolate
      const { a, b } = make()
    `)).toThrowErrorMatchingInlineSnapshot(`
      [MarkerError: [vitest-isolation] The marked declaration destructures its value (tests/a.test.ts:2:7)

        1 | // @isolate
      > 2 | const { a, b } = make()
          |       ^

      A marker re-binds named bindings one by one; destructuring patterns cannot be re-bound per test.
      Fix: Mark a plain binding (\`const value = …\`) and read its properties, or give each name its own marked declaration.]
    `)
  })
})

describe('the leading comments, read without a parse', () => {
  test.for([
    ['no comments', 'const a = 1', { end: 0, lineComment: false }],
    ['two pragmas', '/** @jsxRuntime classic */\n/** @jsx h */\nconst a = 1', { end: 40, lineComment: false }],
    ['a hashbang', '#!/usr/bin/env node\nconst a = 1', { end: 19, lineComment: true }],
    ['a hashbang, a line comment and CRLF', '#!/bin/node\r\n// @isolate\r\nconst a', { end: 24, lineComment: true }],
    ['a block comment after a line comment', '// a\n  /* b */ const a', { end: 14, lineComment: false }],
    ['a BOM and spaces', '\uFEFF  /* a */x', { end: 10, lineComment: false }],
    ['an unterminated block comment', '/* a */ /* b', { end: 7, lineComment: false }],
    ['a directive ends them', "'use strict'\n// later", { end: 0, lineComment: false }],
  ] as const)('%s', ([, code, expected]) => {
    expect(leadingCommentsEnd(code)).toEqual(expected)
  })
})

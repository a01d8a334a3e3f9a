/**
 * The state journal's parts without Vitest around them: the deep walk and its comparison, the dirty state (changes,
 * restoring, who is charged), the likely causes of a failure, and the transform's reading of top-level state.
 */
import { describe, expect, test } from 'vitest'
import { importDeclarationEnd, startCallOffset, stateBindings, stateEpilogue } from '../../plugin/transform/state.ts'
import { describe as describeChange, Journal, NOBODY, type Actor } from '../../runtime/journal/journal.ts'
import { formatCauses } from '../../runtime/report/format.ts'
import { ABSENT, compare, MAX_ENTRIES, walk, type WalkFilter } from '../../runtime/journal/walk.ts'

const none: WalkFilter = { skip: () => false }

function actor(kind: Actor['kind'], id: string, extra: Partial<Actor> = {}): Actor {
  return { kind, id, place: { file: 'a.test.ts', test: kind === 'test' ? id : null }, runs: 0, ...extra }
}

/** A `beforeEach`/`afterEach` of a.test.ts, of `suite` or at the file's top level. */
function eachHook(hook: 'beforeEach' | 'afterEach', suite?: string): Actor {
  const place = { file: 'a.test.ts', test: null, hook, ...(suite === undefined ? {} : { suite }) }
  return actor('hook', `a.test.ts\u0000${suite ?? ''}\u0000${hook}`, { hook, place })
}

describe('walk and compare', () => {
  test('an unchanged root gives back the previous snapshot itself', () => {
    const root = { a: 1, nested: { list: [1, 2], map: new Map([['k', 'v']]) } }
    const first = walk(root, undefined, none)
    expect(walk(root, first, none)).toBe(first)
  })

  test('a nested value, an added and a deleted property, each at its own path', () => {
    const root: Record<string, unknown> = { config: { locale: 'en', currency: 'EUR' }, gone: 1 }
    const before = walk(root, undefined, none)
    ;(root.config as Record<string, unknown>).locale = 'es'
    delete root.gone
    root.fresh = true
    const differences = compare(before, walk(root, before, none), 'globalThis.__app')
    // Breadth first: the shallower paths come first.
    expect(differences.map(({ path, change, before, after }) => ({ path, change, before, after }))).toEqual([
      { path: 'globalThis.__app.fresh', change: 'added', before: ABSENT, after: true },
      { path: 'globalThis.__app.config.locale', change: 'changed', before: 'en', after: 'es' },
      { path: 'globalThis.__app.gone', change: 'deleted', before: 1, after: ABSENT },
    ])
  })

  test('below a replaced object nothing more; a container’s entries are one difference of the container', () => {
    const root: Record<string, unknown> = { settings: { a: 1, b: 2 }, cache: new Map<string, number>(), ids: [1] }
    const before = walk(root, undefined, none)
    root.settings = { a: 3, b: 4 }
    ;(root.cache as Map<string, number>).set('x', 1).set('y', 2)
    ;(root.ids as number[]).push(2)
    const differences = compare(before, walk(root, before, none), 'state')
    expect(differences.map((d) => [d.path, d.change, d.entries ? `${String(d.before)}→${String(d.after)}` : 'value'])).toEqual([
      ['state.settings', 'changed', 'value'],
      ['state.cache', 'changed', '0→2'],
      ['state.ids', 'changed', '1→2'],
    ])
  })

  test('no getter runs and no Proxy is entered', () => {
    let reads = 0
    let traps = 0
    const root = {
      get expensive(): number {
        reads++
        return 1
      },
      proxied: new Proxy({ inner: 1 }, { ownKeys: (target) => (traps++, Reflect.ownKeys(target)) }),
    }
    walk(root, undefined, none)
    expect([reads, traps]).toEqual([0, 0])
  })

  test('a change mid-walk: what the walk had confirmed is kept, the rest recorded; the next unchanged walk gives it back', () => {
    const root = { a: 1, nested: { y: 'y', z: 'z' }, list: [1, 2, 3] }
    const first = walk(root, undefined, none)
    root.nested.y = 'changed'
    const second = walk(root, first, none)
    expect(second).not.toBe(first)
    expect(second.values.length).toBe(first.values.length)
    expect(compare(first, second, 'root').map((d) => [d.path, d.before, d.after])).toEqual([['root.nested.y', 'y', 'changed']])
    expect(walk(root, second, none)).toBe(second)
  })

  test("a class's prototype is followed only when asked (a method patched onto a module's class)", () => {
    class Client {
      get(): string {
        return 'real'
      }
    }
    const plain = walk(Client, undefined, none)
    const withPrototype = walk(Client, undefined, none, { prototypes: true })
    ;(Client.prototype as unknown as Record<string, unknown>).patched = () => 'fake'
    expect(walk(Client, plain, none)).toBe(plain)
    expect(compare(withPrototype, walk(Client, withPrototype, none, { prototypes: true }), 'Client').map((d) => [d.path, d.change])).toEqual([
      ['Client.prototype.patched', 'added'],
    ])
  })

  test('a getter added, or replaced by the value it computed, is lazy initialisation; a value changed is not', () => {
    const root: Record<string, unknown> = { plain: 1 }
    Object.defineProperty(root, 'memo', { get: () => 42, configurable: true, enumerable: true })
    const before = walk(root, undefined, none)
    Object.defineProperty(root, 'memo', { value: 42, configurable: true, enumerable: true, writable: true })
    Object.defineProperty(root, 'later', { get: () => 1, configurable: true, enumerable: true })
    root.plain = 2
    const lazy = Object.fromEntries(compare(before, walk(root, before, none), 'root').map((d) => [d.path, d.lazy === true]))
    expect(lazy).toEqual({ 'root.plain': false, 'root.memo': true, 'root.later': true })
  })

  test('a root larger than the budget is followed up to it and says so', () => {
    const big = Array.from({ length: MAX_ENTRIES * 2 }, (_, i) => i)
    expect(walk({ big }, undefined, none).truncated).toBe(true)
    expect(walk({ small: [1, 2, 3] }, undefined, none).truncated).toBe(false)
  })
})

describe('the journal', () => {
  const holder = { value: { locale: 'en', count: 0 } }
  const fresh = (): Journal => {
    holder.value = { locale: 'en', count: 0 }
    const journal = new Journal()
    journal.addModule('src/config.ts', [['config', 3, () => holder.value]])
    return journal
  }

  test('a change is charged to the actor of its window; restoring it, by anyone, leaves nothing dirty', () => {
    const journal = fresh()
    const a = actor('test', 'switches the locale')
    const b = actor('test', 'restores the locale')
    journal.checkpoint(a)
    holder.value.locale = 'es'
    journal.checkpoint(b)
    expect(journal.select(() => true).map((d) => [d.state, d.module, d.before, d.after, d.by.id])).toEqual([
      ['config.locale', 'src/config.ts:3', '"en"', '"es"', 'switches the locale'],
    ])
    holder.value.locale = 'en'
    journal.checkpoint(NOBODY)
    expect(journal.select(() => true)).toEqual([])
  })

  test('between tests nothing is charged; while imports are evaluated, additions are initial state', () => {
    const journal = fresh()
    journal.checkpoint(NOBODY)
    holder.value.locale = 'fr'
    journal.checkpoint(actor('imports', 'imports:b.test.ts'))
    ;(holder.value as Record<string, unknown>).added = true
    journal.checkpoint(actor('module', 'module:b.test.ts'))
    expect(journal.select(() => true)).toEqual([])
  })

  test('the causes of a failure: what the test found, even when it changed the same state again', () => {
    const journal = fresh()
    const earlier = actor('test', 'earlier')
    const failing = actor('test', 'failing')
    journal.checkpoint(earlier)
    holder.value.locale = 'es'
    holder.value.count++
    journal.checkpoint(failing)
    const since = journal.now
    holder.value.locale = 'de'
    journal.checkpoint(NOBODY)
    // The counter that went up looks like bookkeeping next to a changed value: only the value is listed.
    expect(journal.causes(failing, new Set(), since)).toEqual([
      { state: 'config.locale', module: 'src/config.ts:3', change: 'changed', before: '"en"', after: '"es"', by: earlier.place, tests: 1 },
    ])
  })

  test("a test's own beforeEach is not a cause of its failure", () => {
    const journal = fresh()
    const hook = eachHook('beforeEach', 'suite')
    const failing = actor('test', 'failing')
    journal.checkpoint(hook)
    holder.value.locale = 'es'
    journal.checkpoint(failing)
    expect(journal.causes(failing, new Set([hook.id]), journal.now)).toEqual([])
    expect(journal.causes(failing, new Set(), journal.now).map((c) => c.by)).toEqual([hook.place])
  })

  test("a test's change right after its file's beforeEach is judged from before the hook (the hook resets, the test switches)", () => {
    const journal = fresh()
    const hook = eachHook('beforeEach', 'suite')
    const switches = actor('test', 'switches')
    journal.checkpoint(hook)
    holder.value.locale = 'reset'
    journal.checkpoint(switches)
    holder.value.locale = 'es'
    journal.checkpoint(NOBODY)
    expect(journal.select(() => true).map((d) => [d.state, d.before, d.after, d.by.id, d.prior])).toEqual([['config.locale', '"en"', '"es"', 'switches', undefined]])
  })

  test("an afterEach that empties what its test just filled finishes the test's change (a store made, then emptied)", () => {
    const store: { map: Map<string, string> | undefined } = { map: undefined }
    const journal = new Journal()
    journal.addModule('src/store.ts', [['store', 4, () => store.map]])
    const fills = actor('test', 'fills')
    const cleanUp = eachHook('afterEach')
    journal.checkpoint(fills)
    store.map = new Map([['en', 'message']])
    journal.checkpoint(cleanUp)
    store.map.clear()
    journal.checkpoint(NOBODY)
    expect(journal.select(() => true).map((d) => [d.state, d.before, d.after, d.by.id])).toEqual([['store', 'undefined', '0 entries', 'fills']])

    // A later test fills the emptied store and its afterEach empties it again: the test and its clean-up changed nothing.
    const refills = actor('test', 'refills')
    journal.checkpoint(refills)
    store.map.set('fr', 'message')
    journal.checkpoint(cleanUp)
    store.map.clear()
    journal.checkpoint(NOBODY)
    expect(journal.select(() => true).map((d) => [d.state, d.before, d.after, d.by.id])).toEqual([['store', 'undefined', '0 entries', 'fills']])
  })

  test('a large module that stayed unchanged is followed only at sweeps: the one actor since the last sweep, or the file', () => {
    const big = { flags: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`flag${i}`, false])) as Record<string, boolean> }
    const journal = new Journal()
    journal.addModule('src/flags.ts', [['flags', 1, () => big.flags]])
    for (let i = 0; i < 4; i++) journal.checkpoint(NOBODY)
    const a = actor('test', 'a')
    const b = actor('test', 'b')
    journal.checkpoint(a)
    big.flags.flag3 = true
    journal.checkpoint(NOBODY)
    // Quiet: not walked at an ordinary checkpoint.
    expect(journal.select(() => true)).toEqual([])
    journal.checkpoint(NOBODY, true, true)
    expect(journal.select(() => true).map((d) => [d.state, d.by.id])).toEqual([['flags.flag3', 'a']])
    // One test and the beforeEach around it: the test.
    for (let i = 0; i < 4; i++) journal.checkpoint(NOBODY)
    const each = eachHook('beforeEach')
    journal.checkpoint(each)
    journal.checkpoint(a)
    big.flags.flag5 = true
    journal.checkpoint(NOBODY, true, true)
    expect(journal.select((d) => d.state === 'flags.flag5').map((d) => d.by.id)).toEqual(['a'])
    // Two tests since the last sweep (after the binding went quiet again): the file.
    for (let i = 0; i < 4; i++) journal.checkpoint(NOBODY)
    journal.checkpoint(a)
    journal.checkpoint(b)
    big.flags.flag7 = true
    journal.checkpoint(NOBODY, true, true)
    const swept = journal.select((d) => d.state === 'flags.flag7').map(describeChange)
    expect(swept).toEqual([{ state: 'flags.flag7', module: 'src/flags.ts:1', change: 'changed', before: 'false', after: 'true', by: { file: 'a.test.ts', test: null }, tests: 1, inFile: true }])
    expect(formatCauses(swept, 'b.test.ts', 'fails')).toContain('  - a test, a hook or the top level of a.test.ts changed `flags.flag7` (module binding, src/flags.ts:1) (false → true)')
    // The hunt to confirm it runs the same config: named unless it is the one Vitest finds by itself.
    expect(formatCauses(swept, 'b.test.ts', 'fails', 'vitest.config.ts')).toContain('  confirm with: npx vitest-isolation hunt b.test.ts::fails\n'.trimEnd())
    expect(formatCauses(swept, 'b.test.ts', 'fails', 'vitest.config.ts')).not.toContain('--config')
    expect(formatCauses(swept, 'b.test.ts', 'fails', 'configs/unit.config.ts')).toContain('hunt b.test.ts::fails --config configs/unit.config.ts')
  })

  test('globals: added by a test, and left out when ignored', () => {
    const globals = globalThis as Record<string, unknown>
    const journal = new Journal({ ignoreGlobals: [{ source: '^__unitIgnored', flags: '' }] })
    const a = actor('test', 'adds globals')
    journal.checkpoint(a)
    globals.__unitJournalFlag = { on: true }
    globals.__unitIgnoredFlag = 1
    try {
      journal.checkpoint(NOBODY)
      expect(journal.select((d) => d.root === 'global').map((d) => [d.state, d.before, d.after])).toEqual([
        ['globalThis.__unitJournalFlag', '(absent)', '{1 keys}'],
      ])
    } finally {
      delete globals.__unitJournalFlag
      delete globals.__unitIgnoredFlag
    }
  })
})

describe("the transform's reading of top-level state", () => {
  const code = [
    "import { x } from './x'",
    'let counter = 0',
    'export const cache = new Map<string, number>()',
    "const NAME = 'fixed'",
    'const handler = (event: Event): void => {}',
    'export class Registry {}',
    'export function helper() {}',
    'declare const injected: string',
    'const enum Kind { A }',
    'var legacy',
    'function inner() {',
    '  let nested = 1',
    '}',
  ].join('\n')

  test('let, var, classes and consts that can change in place; not literals, functions, declarations, enums', () => {
    expect(stateBindings(code)).toEqual([
      { name: 'counter', line: 2 },
      { name: 'cache', line: 3 },
      { name: 'Registry', line: 6 },
      { name: 'legacy', line: 10 },
    ])
  })

  test('the epilogue registers them with getters, after the last line', () => {
    expect(stateEpilogue(code, 'src/x.ts', '/runtime/index.js', false)).toBe(
      '\n;import { __vi_iso_runtime as __vi_iso_state } from "/runtime/index.js";__vi_iso_state.state("src/x.ts", [["counter", 2, () => counter], ["cache", 3, () => cache], ["Registry", 6, () => Registry], ["legacy", 10, () => legacy]]);\n',
    )
    expect(stateEpilogue("export const A = 1\nexport function f() {}\n", 'src/y.ts', '/r.js', false)).toBeNull()
  })

  test("a test file's start call goes after its first import, where it moves no original position", () => {
    const place = (code: string): string | undefined => {
      const at = startCallOffset(code)
      return at && `${code.slice(0, at.offset)}${at.separator}<start>${code.slice(at.offset)}`
    }
    expect(place("import { test } from 'vitest'\ntest('a', () => {})\n")).toBe("import { test } from 'vitest';<start>\ntest('a', () => {})\n")
    expect(place("import { test } from 'vitest';\n")).toBe("import { test } from 'vitest';<start>\n")
    expect(place('// @vitest-environment node\n/** doc */\nimport "./setup" // side effects\nconst a = 1\n')).toBe(
      '// @vitest-environment node\n/** doc */\nimport "./setup";<start> // side effects\nconst a = 1\n',
    )
    expect(place("import {\n  a, // first\n  b as c,\n  'd-e' as f,\n} from './x' with { type: 'json' }\nlet n = 0\n")).toBe(
      "import {\n  a, // first\n  b as c,\n  'd-e' as f,\n} from './x' with { type: 'json' };<start>\nlet n = 0\n",
    )
    expect(place("import type { A } from './a'\nimport from, * as ns from './b'\n")).toBe("import type { A } from './a';<start>\nimport from, * as ns from './b'\n")
    // Code after it on the same line, or a first statement that is no import declaration: the call needs a source map.
    expect(place("import { a } from './a'; const b = a\n")).toBeUndefined()
    expect(place("vi.mock('./a')\nimport { a } from './a'\n")).toBeUndefined()
    expect(place("import('./a')\n")).toBeUndefined()
    expect(place("import.meta.env\n")).toBeUndefined()
    expect(place("import fs = require('fs')\n")).toBeUndefined()
    expect(place("imports.push(1)\n")).toBeUndefined()
    expect(place("import { a } from './a\n")).toBeUndefined()
    expect(importDeclarationEnd("x; import { a } from 'a' assert { type: 'json' }", 3)).toBe(48)
  })

  test('a test file always gets the import (its start call uses it); re-bound names are not its state', () => {
    expect(stateEpilogue('export const A = 1\n', 'a.test.ts', '/r.js', true)).toBe('\n;import { __vi_iso_runtime as __vi_iso_state } from "/r.js";\n')
    expect(stateEpilogue(code, 'a.test.ts', '/r.js', true, new Set(['cache', 'legacy']))).toBe(
      '\n;import { __vi_iso_runtime as __vi_iso_state } from "/r.js";__vi_iso_state.state("a.test.ts", [["counter", 2, () => counter], ["Registry", 6, () => Registry]]);\n',
    )
  })
})

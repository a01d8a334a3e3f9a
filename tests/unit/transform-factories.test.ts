import { describe, expect, test } from 'vitest'
import { instrumentFactories } from '../../plugin/transform/index.ts'
import type { ResolvedResource } from '../../plugin/transform/index.ts'

const ID = '/repo/scheme/index.ts'

/** Instruments `code` as module `ID` for resources given as `name: export` pairs; `undefined` when untouched. */
function instrument(code: string, exports: Record<string, string>): string | undefined {
  const resources: ResolvedResource[] = Object.entries(exports).map(([name, exported]) => ({ name, id: ID, export: exported, uses: [] }))
  return instrumentFactories(code.replace(/^\n/, ''), ID, resources, { runtimeId: 'vitest-isolation/runtime' })?.code.trimEnd()
}

describe('instrumentFactories', () => {
  test('no resource declared in the module', () => {
    expect(instrument('export function newScheme() {}', {})).toMatchInlineSnapshot(`undefined`)
  })

  test('exported function declaration is re-assigned at the top', () => {
    expect(instrument(`
export const defaultScheme = newScheme()
export function newScheme(): Scheme {
  return new Scheme()
}
`, { scheme: 'newScheme' })).toMatchInlineSnapshot(`
  "import { __vi_iso_runtime } from "vitest-isolation/runtime";newScheme = __vi_iso_runtime.factory("scheme", newScheme);export const defaultScheme = newScheme()
  export function newScheme(): Scheme {
    return new Scheme()
  }"
`)
  })

  test('overloaded exported function', () => {
    expect(instrument(`
export function make(): A
export function make(x: number): B
export function make(x?: number) { return x }
`, { scheme: 'make' })).toMatchInlineSnapshot(`
  "import { __vi_iso_runtime } from "vitest-isolation/runtime";make = __vi_iso_runtime.factory("scheme", make);export function make(): A
  export function make(x: number): B
  export function make(x?: number) { return x }"
`)
  })

  test('export const initializer is wrapped', () => {
    expect(instrument(`
export const newFakeClient: Factory<Client> = (deps) => new FakeClient(deps.scheme)
export let other = 1, newThing = function newThing() {}
`, { client: 'newFakeClient', thing: 'newThing' })).toMatchInlineSnapshot(`
  "import { __vi_iso_runtime } from "vitest-isolation/runtime";export const newFakeClient: Factory<Client> = __vi_iso_runtime.factory("client", (deps) => new FakeClient(deps.scheme))
  export let other = 1, newThing = __vi_iso_runtime.factory("thing", function newThing() {})"
`)
  })

  test('export default forms', () => {
    expect(instrument('export default function newScheme() { return 1 }', { scheme: 'default' })).toMatchInlineSnapshot(`"import { __vi_iso_runtime } from "vitest-isolation/runtime";newScheme = __vi_iso_runtime.factory("scheme", newScheme);export default function newScheme() { return 1 }"`)
    expect(instrument('export default function () { return 1 }', { scheme: 'default' })).toMatchInlineSnapshot(`"import { __vi_iso_runtime } from "vitest-isolation/runtime";export default __vi_iso_runtime.factory("scheme", function () { return 1 })"`)
    expect(instrument('export default (deps) => new Client(deps)', { client: 'default' })).toMatchInlineSnapshot(`"import { __vi_iso_runtime } from "vitest-isolation/runtime";export default __vi_iso_runtime.factory("client", (deps) => new Client(deps))"`)
    expect(instrument('export default class Registry {}', { registry: 'default' })).toMatchInlineSnapshot(`"import { __vi_iso_runtime } from "vitest-isolation/runtime";export default class Registry {};Registry = __vi_iso_runtime.factory("registry", Registry);"`)
  })

  test('export specifiers of local functions and constants', () => {
    expect(instrument(`
function create() { return {} }
const build = () => ({})
export { create as newScheme, build }
export { build as default }
`, { scheme: 'newScheme', built: 'build', fallback: 'default' })).toMatchInlineSnapshot(`
  "import { __vi_iso_runtime } from "vitest-isolation/runtime";create = __vi_iso_runtime.factory("scheme", create);function create() { return {} }
  const build = __vi_iso_runtime.factory("built", __vi_iso_runtime.factory("fallback", () => ({})))
  export { create as newScheme, build }
  export { build as default }"
`)
  })

  test('export of a class declaration is re-assigned after it', () => {
    expect(instrument('export class Store { items = [] }\nexport const x = 1', { store: 'Store' })).toMatchInlineSnapshot(`
      "import { __vi_iso_runtime } from "vitest-isolation/runtime";export class Store { items = [] };Store = __vi_iso_runtime.factory("store", Store);
      export const x = 1"
    `)
  })

  test('prologue after a hashbang', () => {
    expect(instrument('#!/usr/bin/env node\nexport function f() {}\n', { f: 'f' })).toMatchInlineSnapshot(`
      "#!/usr/bin/env node
      import { __vi_iso_runtime } from "vitest-isolation/runtime";f = __vi_iso_runtime.factory("f", f);export function f() {}"
    `)
  })

  test('a missing export names the resource, the module and the export', () => {
    expect(() => instrument('export function other() {}', { scheme: 'newScheme' })).toThrowErrorMatchingInlineSnapshot(`[FactoryExportError: [vitest-isolation] Resource "scheme": cannot instrument the export "newScheme" of /repo/scheme/index.ts: no such export is declared in this module]`)
    expect(() => instrument('export * from "./impl"', { scheme: 'newScheme' })).toThrowErrorMatchingInlineSnapshot(`[FactoryExportError: [vitest-isolation] Resource "scheme": cannot instrument the export "newScheme" of /repo/scheme/index.ts: no such export is declared in this module (an \`export * from\` may provide it: declare the resource with the module that defines it)]`)
  })

  test('exports that cannot be wrapped', () => {
    expect(() => instrument('export { newScheme } from "./impl"', { scheme: 'newScheme' })).toThrowErrorMatchingInlineSnapshot(`[FactoryExportError: [vitest-isolation] Resource "scheme": cannot instrument the export "newScheme" of /repo/scheme/index.ts: it is re-exported from "./impl"; declare the resource with that module instead]`)
    expect(() => instrument('import { make } from "./impl"\nexport { make as newScheme }', { scheme: 'newScheme' })).toThrowErrorMatchingInlineSnapshot(`[FactoryExportError: [vitest-isolation] Resource "scheme": cannot instrument the export "newScheme" of /repo/scheme/index.ts: it is imported from "./impl"; declare the resource with that module instead]`)
    expect(() => instrument('export const { newScheme } = factories', { scheme: 'newScheme' })).toThrowErrorMatchingInlineSnapshot(`[FactoryExportError: [vitest-isolation] Resource "scheme": cannot instrument the export "newScheme" of /repo/scheme/index.ts: it is declared by destructuring, which cannot be wrapped]`)
    expect(() => instrument('export let newScheme', { scheme: 'newScheme' })).toThrowErrorMatchingInlineSnapshot(`[FactoryExportError: [vitest-isolation] Resource "scheme": cannot instrument the export "newScheme" of /repo/scheme/index.ts: it is declared without an initializer]`)
    expect(() => instrument('export default interface Scheme {}', { scheme: 'default' })).toThrowErrorMatchingInlineSnapshot(`[FactoryExportError: [vitest-isolation] Resource "scheme": cannot instrument the export "default" of /repo/scheme/index.ts: the default export is a type, not a factory function]`)
  })
})

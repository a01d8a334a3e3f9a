/**
 * The start-up check of what a resource export is: only what the source shows for certain is an error; anything that
 * could be a function at run time is left to the runtime (a wrong start-up error would stop a suite that works).
 */
import { parseSync } from 'oxc-parser'
import { expect, test } from 'vitest'
import { notCallableExports } from '../../plugin/export-kinds.ts'

const kinds = (source: string): Record<string, string> =>
  Object.fromEntries(notCallableExports(parseSync('module.ts', source).program))

test('functions and classes, in every form, are accepted', () => {
  expect(
    kinds(`
      export function a() {}
      export async function b() {}
      export function* c() {}
      export class D {}
      export const e = () => 1
      export const f = (function () {}) as () => void
      export const G = class {}
      const h = () => 1
      export { h, h as i }
      export default class {}
    `),
  ).toEqual({})
})

test('values that cannot make an instance are named by what they are', () => {
  expect(
    kinds(`
      export const object = { create() {} }
      export const array = [] as const
      export const text = 'x'
      export const template = \`x\`
      export const count = -1
      export const big = 10n
      export const flag = true satisfies boolean
      export const nothing = null
      export const pattern = /x/
      export const missing = undefined
      export enum Mode { A }
      const local = { a: 1 }
      export { local as renamed }
      export const alias = local
    `),
  ).toEqual({
    object: 'an object',
    array: 'an array',
    text: 'a string',
    template: 'a string',
    count: 'a number',
    big: 'a bigint',
    flag: 'a boolean',
    nothing: 'null',
    pattern: 'a regular expression',
    missing: 'undefined',
    Mode: 'an enum (an object)',
    renamed: 'an object',
    alias: 'an object',
  })
})

test('a default export of a value', () => {
  expect(kinds(`export default { create() {} }`)).toEqual({ default: 'an object' })
  expect(kinds(`const config = 'x'; export default config`)).toEqual({ default: 'a string' })
  expect(kinds(`export default function () {}`)).toEqual({})
})

test('what only the run time knows is left to the runtime', () => {
  expect(
    kinds(`
      import { made } from './elsewhere.ts'
      export const fromCall = makeFactory()
      export const constructed = new Wrapper()
      export const conditional = flag ? () => 1 : {}
      export let reassigned = {}
      export var legacy = 'x'
      export { made }
      export const member = factories.scheme
      const a = b, b = a
      export { a as loop }
    `),
  ).toEqual({})
})

/**
 * The setup file the plugin puts first in `test.setupFiles`. Vitest evaluates it before every test file (also with
 * `isolate: false`), so this one top-level `aroundEach` is the outermost wrapper of every test of every file.
 */
import { aroundEach, inject, type TestContext } from 'vitest'
import { enterTest } from './enter.ts'
import { PROVIDE_KEY } from './provided.ts'
import { state } from './state.ts'

state.options = inject(PROVIDE_KEY) ?? state.options

aroundEach(function isolationAroundEach(runTest: () => Promise<void>) {
  // Vitest reads this function's source to find the fixtures it destructures from its second parameter; a plain parameter
  // there is rejected, and a pattern would request fixtures. So the context is taken from `arguments`.
  // eslint-disable-next-line prefer-rest-params
  return enterTest(runTest, arguments[1] as TestContext)
})

/**
 * Checkpoints around the user's hooks, so the journal charges a change made in a `beforeEach` to that hook (once, with
 * the number of tests it spanned) rather than to each test, and one made in a `beforeAll` to the hook rather than to the
 * next test.
 *
 * When a file's suite starts, every hook Vitest holds for its suites is replaced, in Vitest's own hook lists, by a
 * function that calls it between two checkpoints. The functions in those lists are Vitest's wrappers around the user's
 * callbacks (fixtures are resolved inside them), so no user function's source or parameters are looked at.
 */
import { TestRunner, type RunnerTestFile, type RunnerTestSuite } from 'vitest'
import type { HookKind } from '../report/types.ts'
import type { Actor } from './journal.ts'

type AnyHook = ((...args: unknown[]) => unknown) & Record<symbol, unknown>

/** What the runtime does around one hook call. */
export interface HookBrackets {
  /** A hook of `actor` starts; the runtime makes it the journal's current actor. */
  enter(actor: Actor): void
  /** The hook ended; the runtime hands the journal back to whoever runs around it. */
  leave(actor: Actor): void
}

const WRAPPED = Symbol('vitest-isolation.hook')
const KINDS: readonly HookKind[] = ['beforeAll', 'afterAll', 'beforeEach', 'afterEach']

/** The actor for hooks of `kind` in `suite`: one per suite and kind, shared by every hook of that kind there. */
function hookActor(file: RunnerTestFile, suite: RunnerTestSuite | RunnerTestFile, kind: HookKind): Actor {
  const name = suite === file ? undefined : fullName(suite as RunnerTestSuite)
  const place = name === undefined ? { file: file.name, test: null, hook: kind } : { file: file.name, test: null, hook: kind, suite: name }
  return { kind: 'hook', id: `${file.name}\u0000${name ?? ''}\u0000${kind}`, place, hook: kind, runs: 0 }
}

function fullName(suite: RunnerTestSuite): string {
  const names: string[] = []
  for (let node: RunnerTestSuite | undefined = suite; node !== undefined && node.type === 'suite'; node = node.suite) names.unshift(node.name)
  return (suite as { fullTestName?: string }).fullTestName ?? names.join(' > ')
}

/**
 * Brackets every hook of every suite of `file` (skipping `skip`, the runtime's own hooks). Returns, for each suite,
 * its `beforeAll`/`beforeEach`/`afterEach` actors: a test of that suite runs them (or ran them) itself, as its own setup.
 */
export function bracketHooks(file: RunnerTestFile, brackets: HookBrackets, skip: { has(hook: object): boolean }): Map<object, Actor[]> {
  const ownActors = new Map<object, Actor[]>()
  const visit = (suite: RunnerTestSuite | RunnerTestFile): void => {
    const hooks = TestRunner.getSuiteHooks(suite)
    const own: Actor[] = []
    for (const kind of KINDS) {
      const list = hooks[kind] as unknown as AnyHook[]
      if (list.length === 0) continue
      const actor = hookActor(file, suite, kind)
      let wrapped = false
      for (let i = 0; i < list.length; i++) {
        const hook = list[i]
        // The runtime's setup file is first in setupFiles: its own hooks are the first of the file's lists.
        const runtimes = suite === file && i === 0 && kind !== 'afterEach'
        if (runtimes || skip.has(hook) || hook[WRAPPED] === true) continue
        list[i] = bracket(hook, actor, brackets)
        wrapped = true
      }
      if (wrapped && kind !== 'afterAll') own.push(actor)
    }
    ownActors.set(suite, own)
    for (const task of suite.tasks) if (task.type === 'suite') visit(task)
  }
  visit(file)
  return ownActors
}

function bracket(hook: AnyHook, actor: Actor, brackets: HookBrackets): AnyHook {
  const each = actor.hook === 'beforeEach' || actor.hook === 'afterEach'
  const call = function (this: unknown, ...args: unknown[]): unknown {
    if (each) actor.runs++
    brackets.enter(actor)
    let result: unknown
    try {
      result = hook.apply(this, args)
    } catch (error) {
      brackets.leave(actor)
      throw error
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          brackets.leave(actor)
          return cleanup(value, actor, brackets)
        },
        (error: unknown) => {
          brackets.leave(actor)
          throw error
        },
      )
    }
    brackets.leave(actor)
    return cleanup(result, actor, brackets)
  } as AnyHook
  // Vitest keeps a hook's timeout and its registration stack on symbol properties; the copy keeps them.
  for (const key of Reflect.ownKeys(hook)) {
    if (typeof key === 'symbol') call[key] = hook[key]
  }
  call[WRAPPED] = true
  return call
}

/** A `beforeEach`/`beforeAll` may return its own clean-up: it is the same hook's doing. */
function cleanup(value: unknown, actor: Actor, brackets: HookBrackets): unknown {
  if (typeof value !== 'function') return value
  const fn = value as (...args: unknown[]) => unknown
  return function (this: unknown, ...args: unknown[]): unknown {
    brackets.enter(actor)
    let result: unknown
    try {
      result = fn.apply(this, args)
    } catch (error) {
      brackets.leave(actor)
      throw error
    }
    if (result instanceof Promise) {
      return result.finally(() => brackets.leave(actor))
    }
    brackets.leave(actor)
    return result
  }
}

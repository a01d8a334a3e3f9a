/**
 * `TestSlot`: everything one test attempt owns — its marked-binding values and its resource instances — from the moment
 * the `aroundEach` hook enters the test until its resources are disposed.
 *
 * Each retry and each repeat is a new slot, so every attempt starts from fresh instances.
 */
import type { RunnerTestCase } from 'vitest'
import { ERROR_PREFIX, resourceScopeError } from './errors.ts'
import { callFactory } from './factory.ts'
import type { IncludedFile } from './included-file.ts'
import { withKnownPlace, type SourcePlace } from './location.ts'
import type { Owner } from './ledger/index.ts'
import { state } from './state.ts'
import { testOwner } from './tracking.ts'
import type { FileResource, TestInfo } from './types.ts'

/** What a binding cell needs from a slot when the slot is released (to drop its cached value). */
export interface SlotCache {
  forget(slot: TestSlot): void
}

/** `true` for factories declared `async`: they are created and awaited before `beforeEach`. */
export function isAsyncFactory(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as { constructor?: { name?: string } }).constructor?.name === 'AsyncFunction'
}

function testInfo(task: RunnerTestCase): TestInfo {
  return { id: task.id, name: task.name, fullName: task.fullTestName ?? task.name, file: task.file.name }
}

/** The per-test state of one test attempt. */
export class TestSlot {
  readonly task: RunnerTestCase
  readonly info: TestInfo
  readonly file: IncludedFile | undefined
  /** Whether the test is isolated (marked, inside a marked suite, or in a file with `isolateAll`). */
  readonly isolated: boolean
  /** Who owns and observes objects while this attempt runs, as the ledger knows it. */
  readonly owner: Owner
  /** Set once the test attempt is over: reads through a leftover timer or promise then throw. */
  released = false
  /** Marked-binding values of this test, keyed by the binding's cell. */
  readonly values = new Map<SlotCache, unknown>()
  readonly #resources = new Map<string, unknown>()
  readonly #creating = new Set<string>()
  /** Created resource instances in creation order; disposed in reverse. */
  readonly #created: unknown[] = []

  constructor(task: RunnerTestCase, file: IncludedFile | undefined, isolated: boolean) {
    this.task = task
    this.info = testInfo(task)
    this.file = file
    this.isolated = isolated
    this.owner = testOwner(task, isolated)
  }

  #declaration(name: string): FileResource {
    const declared = this.file?.meta.resources[name] ?? state.resources.get(name)
    if (declared) return declared
    const known = [...new Set([...Object.keys(this.file?.meta.resources ?? {}), ...state.resources.keys()])]
    throw new Error(
      `${ERROR_PREFIX} Unknown resource "${name}" (read in test "${this.info.fullName}", ${this.info.file}). ` +
        (known.length ? `Declared resources: ${known.join(', ')}.` : 'No resources are declared.') +
        ' Declare it in the `resources` option of isolation() in the Vitest config.',
    )
  }

  /** The names of every resource this test can get, in declaration order. */
  resourceNames(): string[] {
    return [...new Set([...Object.keys(this.file?.meta.resources ?? {}), ...state.resources.keys()])]
  }

  /** The test's instance of resource `name`, created on first use. */
  resource(name: string): unknown {
    if (this.#resources.has(name)) return this.#resources.get(name)
    if (this.released) throw resourceScopeError(name, this.info.fullName)
    const declared = this.#declaration(name)
    if (isAsyncFactory(declared.factory)) {
      throw new Error(
        `${ERROR_PREFIX} The resource "${name}" has an async factory, and test "${this.info.fullName}" (${this.info.file}) ` +
          'is not marked, so it was not created before the test (a getter cannot wait for it). Async resources are ' +
          'created before beforeEach for tests marked with // @isolate (on the test, its describe or the file): mark ' +
          'the test, or make the factory synchronous.',
      )
    }
    return this.#create(name, declared, this.#syncDeps(name, declared))
  }

  #syncDeps(name: string, declared: FileResource): Record<string, unknown> {
    this.#enter(name)
    try {
      const deps: Record<string, unknown> = { test: this.info }
      for (const use of declared.uses) deps[use] = this.resource(use)
      return deps
    } finally {
      this.#creating.delete(name)
    }
  }

  #enter(name: string): void {
    if (this.#creating.has(name)) {
      throw new Error(`${ERROR_PREFIX} The resource "${name}" uses itself through ${[...this.#creating].join(' → ')}.`)
    }
    this.#creating.add(name)
  }

  #create(name: string, declared: FileResource, deps: Record<string, unknown>): unknown {
    const value = withKnownPlace(this.#place(), () => callFactory(name, declared.factory, deps))
    this.#resources.set(name, value)
    this.#created.push(value)
    return value
  }

  // A `ctx` resource comes from its test: where the test is declared, looked up only if a finding asks (the owner's
  // `line` and `column` are found on first read).
  #place(): SourcePlace {
    const owner = this.owner
    return {
      file: this.info.file,
      get line() {
        return owner.line as number
      },
      get column() {
        return owner.column ?? 1
      },
    }
  }

  /** Creates (and awaits) every async resource, with its dependencies, before the test's hooks run. */
  async prepare(): Promise<void> {
    for (const name of this.resourceNames()) {
      if (isAsyncFactory(this.#declaration(name).factory)) await this.#prepareAsync(name)
    }
  }

  async #prepareAsync(name: string): Promise<unknown> {
    if (this.#resources.has(name)) return this.#resources.get(name)
    const declared = this.#declaration(name)
    if (!isAsyncFactory(declared.factory)) return this.resource(name)
    this.#enter(name)
    const deps: Record<string, unknown> = { test: this.info }
    try {
      for (const use of declared.uses) deps[use] = await this.#prepareAsync(use)
    } finally {
      this.#creating.delete(name)
    }
    // Another path may have created it while this one awaited its dependencies.
    if (this.#resources.has(name)) return this.#resources.get(name)
    const value = await withKnownPlace(this.#place(), () => callFactory(name, declared.factory, deps))
    this.#resources.set(name, value)
    this.#created.push(value)
    return value
  }

  /**
   * Disposes the test's resources in reverse creation order (`Symbol.asyncDispose`, else `Symbol.dispose`) and releases
   * the slot; throws the disposal error(s), so the test fails with them.
   */
  async release(): Promise<void> {
    this.released = true
    const errors: unknown[] = []
    for (const instance of this.#created.reverse()) {
      try {
        await disposeOf(instance)
      } catch (error) {
        errors.push(error)
      }
    }
    this.#created.length = 0
    this.#resources.clear()
    for (const cell of this.values.keys()) cell.forget(this)
    this.values.clear()
    if (errors.length === 1) throw errors[0]
    if (errors.length > 1) throw new AggregateError(errors, `${ERROR_PREFIX} Disposing resources of "${this.info.fullName}" failed.`)
  }
}

async function disposeOf(created: unknown): Promise<void> {
  // A synchronous factory may return a promise; what it resolved to is the instance to dispose.
  const instance = isThenable(created) ? await Promise.resolve(created).catch(() => undefined) : created
  if ((typeof instance !== 'object' && typeof instance !== 'function') || instance === null) return
  const disposable = instance as { [Symbol.asyncDispose]?: () => unknown; [Symbol.dispose]?: () => unknown }
  if (typeof disposable[Symbol.asyncDispose] === 'function') await disposable[Symbol.asyncDispose]!()
  else if (typeof disposable[Symbol.dispose] === 'function') disposable[Symbol.dispose]!()
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    ((typeof value === 'object' && value !== null) || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

/**
 * The public ways to reach the current test: `useResource(name)` and `currentTest()`, plus the lazy `ctx.<resource>`
 * getters an isolated test's context gets.
 */
import { resourceScopeError } from './errors.ts'
import type { TestSlot } from './slot.ts'
import { state } from './state.ts'
import type { TestInfo } from './types.ts'

/**
 * Returns the current test's instance of the declared resource `name` (created on first use); throws
 * `IsolationScopeError` where no test is running.
 *
 * @example
 * // @isolate
 * const controller = new MachineSetReconciler(useResource('client'))
 */
export function useResource<T = unknown>(name: string): T {
  const slot = state.als.getStore()
  if (slot === undefined) throw resourceScopeError(name)
  return slot.resource(name) as T
}

/**
 * Returns the test whose code is running (also under `describe.concurrent`), or `undefined` outside tests.
 *
 * @example
 * const where = currentTest()?.fullName ?? 'module scope'
 */
export function currentTest(): TestInfo | undefined {
  const slot = state.als.getStore()
  return slot && !slot.released ? slot.info : undefined
}

/**
 * Defines a lazy getter on `context` for every resource of `slot`. A `test.extend` fixture of the same name replaces it
 * (its assignment turns the accessor into a plain value), so fixtures keep working.
 */
export function defineContextResources(context: object, slot: TestSlot): void {
  for (const name of slot.resourceNames()) {
    // An auto fixture of the same name may already be resolved (for this hook); the fixture wins.
    const existing = Object.getOwnPropertyDescriptor(context, name)
    if (existing && 'value' in existing) continue
    Object.defineProperty(context, name, {
      configurable: true,
      // Not enumerable: spreading or inspecting the context must not create every resource.
      enumerable: false,
      get: () => slot.resource(name),
      set: (value: unknown) => {
        Object.defineProperty(context, name, { value, writable: true, configurable: true, enumerable: true })
      },
    })
  }
}

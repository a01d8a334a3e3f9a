/**
 * The one store of runtime state, kept on `globalThis` under a `Symbol.for` key.
 *
 * Why global: the runtime can be loaded twice in one worker (inlined by Vite for a test file, externalized by Node for
 * another module, or once per file when `isolate: true` re-evaluates modules). Every copy must agree on which test is
 * current, so the `AsyncLocalStorage`, the marked tasks and the ledger live here, not in module scope.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { IncludedFile } from './included-file.ts'
import type { Journal } from './journal/journal.ts'
import type { Ledger, Owner } from './ledger/index.ts'
import type { ProvidedOptions } from './provided.ts'
import type { Finding, IsolationMeta } from './report/types.ts'
import type { TestSlot } from './slot.ts'
import type { FileResource } from './types.ts'

/** The `Symbol.for` key of the runtime state on `globalThis`. */
export const STATE_KEY: unique symbol = Symbol.for('vitest-isolation.runtime') as any

/** Bumped when the shape below changes, so a stale copy from an older version is replaced rather than misread. */
const STATE_VERSION = 4

export interface RuntimeState {
  readonly version: number
  /** Holds the slot of the test whose code is running; `undefined` outside tests. */
  readonly als: AsyncLocalStorage<TestSlot>
  /** File scopes by file path relative to the project root (the same key as Vitest's `File.name`). */
  readonly files: Map<string, IncludedFile>
  /** Test and suite tasks that a `@isolate` marker attached to. */
  readonly marked: WeakSet<object>
  /** Every declared resource seen in generated code, so `useResource` works in files that declare none themselves. */
  readonly resources: Map<string, FileResource>
  /** The plugin's options, once the setup file has read them with `inject()`. */
  options: ProvidedOptions | undefined
  /** The findings engine of this worker; `undefined` until the setup file runs, and with `leaks: 'off'`. */
  ledger: Ledger | undefined
  /** The state journal of this worker; `undefined` until the setup file runs, and with `journal: 'off'`. */
  journal: Journal | undefined
  /**
   * Which file's module scope code outside any test belongs to: the file being collected (its setup files, its module and
   * the modules it imports are evaluated then), or the file whose suite is running (`beforeAll`/`afterAll`).
   */
  phase: { kind: 'collecting' | 'running'; file: string } | undefined
  /** Module scopes by file, so the hot path does not allocate one per call. */
  readonly moduleOwners: Map<string, Owner>
  /** Tests whose `aroundEach` is still running, by task id: their meta is still sent with their result. */
  readonly live: Map<string, LiveTest>
  /** Findings made for tests that had already ended; the next file to end carries them in its meta. */
  readonly late: Finding[]
}

/** A test between the start and the end of its `aroundEach`: where its findings go. */
export interface LiveTest {
  /** The task's `meta.isolation` (Vitest sends the meta with the test's result). */
  readonly meta: IsolationMeta
  /** Findings that fail the test when it ends (`leaks: 'error'`). */
  readonly failures: Finding[]
}

function createState(): RuntimeState {
  return {
    version: STATE_VERSION,
    als: new AsyncLocalStorage<TestSlot>(),
    files: new Map(),
    marked: new WeakSet(),
    resources: new Map(),
    options: undefined,
    ledger: undefined,
    journal: undefined,
    phase: undefined,
    moduleOwners: new Map(),
    live: new Map(),
    late: [],
  }
}

function loadState(): RuntimeState {
  const holder = globalThis as unknown as Record<symbol, RuntimeState | undefined>
  const existing = holder[STATE_KEY]
  if (existing?.version === STATE_VERSION) return existing
  const created = createState()
  Object.defineProperty(globalThis, STATE_KEY, { value: created, configurable: true, writable: true, enumerable: false })
  return created
}

/** The runtime state shared by every copy of the runtime in this worker. */
export const state: RuntimeState = loadState()

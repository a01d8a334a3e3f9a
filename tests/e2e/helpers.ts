/**
 * Runs a fixture project through Vitest's Node API and returns its test tree: the state and errors of every test by
 * full name, module-level errors, and unhandled errors. Fixtures are never written to: caches go to a temp folder.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import type { InlineConfig } from 'vitest/node'
import { createVitest } from 'vitest/node'

/** The folder of the fixture projects. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url))

/** One test's outcome. */
export interface TestOutcome {
  state: 'passed' | 'failed' | 'skipped' | 'pending'
  /** Error messages (failed tests only). */
  errors: string[]
  /** How many times the test was retried. */
  retries: number
}

/** What a fixture run produced. */
export interface RunResult {
  /** Outcomes by `<file> > <full test name>` (file relative to the fixture root). */
  tests: Record<string, TestOutcome>
  /** Errors outside tests, by `<file>` (collection: a marker error, a top-level throw) or `<file> > <suite>` (beforeAll). */
  errors: Record<string, string[]>
  /** Unhandled errors of the run (messages). */
  unhandled: string[]
  /** Test annotations (`context.annotate`) by the same key as `tests`, where there are any. */
  annotations: Record<string, string[]>
  /** Everything Vitest printed. */
  output: string
}

/** Options of {@link runFixture}. */
export interface RunOptions {
  /** The config file inside the fixture. @default 'vitest.config.ts' */
  config?: string
  /** Vitest options that override the fixture's config (pool, isolate, …). */
  test?: InlineConfig
  /** Only these files (CLI filters). */
  files?: string[]
}

function messages(errors: ReadonlyArray<{ message?: string; stack?: string }> | undefined): string[] {
  return (errors ?? []).map((e) => e.message ?? String(e))
}

/**
 * Collects what Vitest prints. `end()` is ignored: Vitest pipes each forked worker's stdout into the stream it is given,
 * and the first worker to exit would end it before the reporters' last lines (the findings block among them). `destroy()`
 * is ignored for the same reason.
 */
class Output extends Writable {
  text = ''

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString()
    done()
  }

  override end(): this {
    return this
  }

  // Nor may a worker's pipe tear it down when that worker goes away.
  override destroy(): this {
    return this
  }
}

/** Runs the fixture project `name` (a folder under `tests/fixtures/`) once and returns its test tree. */
export function runFixture(name: string, options: RunOptions = {}): Promise<RunResult> {
  return runProject(resolve(FIXTURES, name), options)
}

/** Runs the Vitest project in the folder `root` once and returns its test tree. */
export async function runProject(root: string, options: RunOptions = {}): Promise<RunResult> {
  const cacheDir = mkdtempSync(join(tmpdir(), `vitest-isolation-e2e-${basename(root)}-`))
  const stream = new Output()
  const vitest = await createVitest(
    'test',
    {
      root,
      config: join(root, options.config ?? 'vitest.config.ts'),
      watch: false,
      reporters: [{}],
      ...options.test,
    },
    { cacheDir },
    { stdout: stream, stderr: stream },
  )
  try {
    await vitest.start(options.files)
    const tests: Record<string, TestOutcome> = {}
    const errors: Record<string, string[]> = {}
    const annotations: Record<string, string[]> = {}
    for (const module of vitest.state.getTestModules()) {
      const file = module.relativeModuleId
      const moduleErrors = messages(module.errors())
      if (moduleErrors.length) errors[file] = moduleErrors
      for (const suite of module.children.allSuites()) {
        const suiteErrors = messages(suite.errors())
        if (suiteErrors.length) errors[`${file} > ${suite.fullName}`] = suiteErrors
      }
      for (const test of module.children.allTests()) {
        const result = test.result()
        tests[`${file} > ${test.fullName}`] = {
          state: result.state,
          errors: messages(result.errors),
          retries: test.diagnostic()?.retryCount ?? 0,
        }
        const notes = test.annotations().map((annotation) => annotation.message)
        if (notes.length > 0) annotations[`${file} > ${test.fullName}`] = notes
      }
    }
    const unhandled = vitest.state.getUnhandledErrors().map((e) => (e as Error).message ?? String(e))
    return { tests, errors, unhandled, annotations, output: stream.text }
  } finally {
    await vitest.close()
    rmSync(cacheDir, { recursive: true, force: true })
  }
}

/** Creates Vitest for the fixture and returns the start-up error it fails with (or `undefined`). */
export async function startupError(name: string, config: string): Promise<Error | undefined> {
  const root = resolve(FIXTURES, name)
  const cacheDir = mkdtempSync(join(tmpdir(), `vitest-isolation-e2e-${name}-`))
  const stream = new PassThrough()
  stream.resume()
  try {
    const vitest = await createVitest(
      'test',
      { root, config: join(root, config), watch: false, reporters: [{}] },
      { cacheDir },
      { stdout: stream, stderr: stream },
    )
    try {
      await vitest.start()
    } finally {
      await vitest.close()
    }
    return undefined
  } catch (error) {
    return error as Error
  } finally {
    rmSync(cacheDir, { recursive: true, force: true })
  }
}

/** The states of a run's tests, by key: a compact thing to compare with `toEqual`. */
export function states(result: RunResult): Record<string, TestOutcome['state']> {
  return Object.fromEntries(Object.entries(result.tests).map(([key, outcome]) => [key, outcome.state]))
}

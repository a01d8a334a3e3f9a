/**
 * End-to-end: the errors users see — IsolationScopeError, a misplaced marker, and invalid options at start-up.
 */
import { describe, expect, test } from 'vitest'
import { runFixture, startupError, states } from './helpers.ts'

describe('IsolationScopeError', async () => {
  const result = await runFixture('scope-error')

  test('reads in tests, their hooks and callbacks resolve to the test', () => {
    expect(states(result)).toMatchObject({
      'inside-tests.test.ts > reads in every per-test place resolve to the test': 'passed',
      'inside-tests.test.ts > the previous test saw its own value everywhere': 'passed',
      'inside-tests.test.ts > no test is current outside tests': 'passed',
      'after-finish.test.ts > schedules a read it does not wait for': 'passed',
      'after-finish.test.ts > the leftover read fails with the finished test named': 'passed',
    })
  })

  test('an assignment at module top level', () => {
    expect(result.errors['assign-top-level.test.ts']).toMatchInlineSnapshot(`
      [
        "[vitest-isolation] The marked binding "gadget" was assigned where no test is running.
        marked at   assign-top-level.test.ts:5:1 (// @isolate)
        assigned at assign-top-level.test.ts:7:1
      Per-test values exist only while a test runs: in the test, its beforeEach/afterEach/aroundEach hooks and onTestFinished/onTestFailed callbacks — not at module top level, in a describe body, or in beforeAll/afterAll.
      Fix: move the assignment into beforeEach or the test (or into a function that they call).",
      ]
    `)
  })

  test('a read at module top level names the binding, where it was marked and read, and the fix', () => {
    expect(result.errors['top-level.test.ts']).toMatchInlineSnapshot(`
      [
        "[vitest-isolation] The marked binding "gadget" was read where no test is running.
        marked at   top-level.test.ts:5:1 (// @isolate)
        read at     top-level.test.ts:7:22
      Per-test values exist only while a test runs: in the test, its beforeEach/afterEach/aroundEach hooks and onTestFinished/onTestFailed callbacks — not at module top level, in a describe body, or in beforeAll/afterAll.
      Fix: move the read into beforeEach or the test (or into a function that they call).",
      ]
    `)
  })

  test('a read in a describe body', () => {
    expect(result.errors['describe-body.test.ts']).toMatchInlineSnapshot(`
      [
        "[vitest-isolation] The marked binding "gadget" was read where no test is running.
        marked at   describe-body.test.ts:5:1 (// @isolate)
        read at     describe-body.test.ts:8:17
      Per-test values exist only while a test runs: in the test, its beforeEach/afterEach/aroundEach hooks and onTestFinished/onTestFailed callbacks — not at module top level, in a describe body, or in beforeAll/afterAll.
      Fix: move the read into beforeEach or the test (or into a function that they call).",
      ]
    `)
  })

  test('a read in beforeAll fails the suite', () => {
    expect(result.errors['before-all.test.ts > beforeAll']).toMatchInlineSnapshot(`
      [
        "[vitest-isolation] The marked binding "gadget" was read where no test is running.
        marked at   before-all.test.ts:5:1 (// @isolate)
        read at     before-all.test.ts:10:13
      Per-test values exist only while a test runs: in the test, its beforeEach/afterEach/aroundEach hooks and onTestFinished/onTestFailed callbacks — not at module top level, in a describe body, or in beforeAll/afterAll.
      Fix: move the read into beforeEach or the test (or into a function that they call).",
      ]
    `)
    expect(result.tests['before-all.test.ts > beforeAll > does not run: beforeAll failed']?.state).toBe('skipped')
  })

  test('useResource in a describe body names the resource and its declaration', () => {
    expect(result.errors['use-resource.test.ts']).toMatchInlineSnapshot(`
      [
        "[vitest-isolation] The resource "gadget" was read where no test is running.
        declared in vitest.config.ts (resources.gadget: ./gadget.ts#newGadget)
        read at     use-resource.test.ts:6:18
      Per-test values exist only while a test runs: in the test, its beforeEach/afterEach/aroundEach hooks and onTestFinished/onTestFailed callbacks — not at module top level, in a describe body, or in beforeAll/afterAll.
      Fix: move the read into beforeEach or the test (or into a function that they call).",
      ]
    `)
  })
})

describe('marker errors', async () => {
  const result = await runFixture('marker-error')

  test('other files still run', () => {
    expect(states(result)).toEqual({ 'fine.test.ts > other files still run': 'passed' })
  })

  test('a misplaced marker fails its file with file:line:column and a code frame', () => {
    expect(result.errors['misplaced.test.ts']).toMatchInlineSnapshot(`
      [
        "[vitest-isolation] The @isolate marker is above a call of "values.push", which is not a test or suite call (misplaced.test.ts:5:1)

        3 | const values: number[] = []
        4 |
      > 5 | // @isolate
          | ^
        6 | values.push(1)
        7 |

      A marker attaches to the statement directly below it (only comments may stand between), which must be a call of test/it/describe/suite — with any chain such as .concurrent, .only, .skip, .each(…)(…), .for(…)(…) — or of a function made by test.extend(…) in this file, or a top-level const or let declaration.
      Fix: Move the marker directly above a test or suite call or a top-level const/let, or delete it. If "values.push" defines tests, mark the test calls inside it; a function made by test.extend(…) in another module is not recognised: mark the file with @vitest-isolate instead.",
      ]
    `)
  })

  test('a marker in a file the plugin does not include is an error, not silently ignored', () => {
    expect(result.errors['uses-helper.test.ts']).toMatchInlineSnapshot(`
      [
        "[vitest-isolation] helper.ts:3:1 has isolation markers, but the plugin does not include this file, so they would be ignored. Markers work in the files the plugin includes (by default Vitest's test.include). Fix: add the file to the plugin's include option (or Vitest's test.include), or remove the markers.",
      ]
    `)
  })
})

describe("a resource's factory exported by a test file", async () => {
  const result = await runFixture('factory-in-test-file')

  // Every test file imports the resources' modules (for ctx), so each fails with the one error, and nothing runs broken.
  test('fails with what to do, not with a broken or half-transformed file', () => {
    expect(states(result)).toEqual({})
    expect(Object.keys(result.errors).sort()).toEqual(['fine.test.ts', 'registry.test.ts'])
    expect(result.errors['fine.test.ts']).toEqual(result.errors['registry.test.ts'])
    expect(result.errors['registry.test.ts']).toMatchInlineSnapshot(`
      [
        "[vitest-isolation] registry.test.ts is a test file and also the module of resource "registry" (vitest.config.ts): the plugin cannot both instrument its factory and give its tests their markers and ctx resources. Fix: move the factory to a module of its own and point the resource there.",
      ]
    `)
  })
})

describe('invalid options fail at start-up, naming the resource, the problem and the config file', () => {
  const message = async (config: string): Promise<string | undefined> => {
    const error = await startupError('options', config)
    expect(error?.name).toBe('IsolationOptionsError')
    return error?.message
  }

  test('a resource name that is not an identifier', async () => {
    expect(await message('bad-identifier.config.ts')).toMatchInlineSnapshot(`"[vitest-isolation] Invalid options of isolation() in bad-identifier.config.ts: resource "my-thing": the name is not a valid identifier, so tests cannot read it as ctx.my-thing. Rename it, e.g. "myThing"."`)
  })

  test('an unknown name in uses', async () => {
    expect(await message('unknown-uses.config.ts')).toMatchInlineSnapshot(`"[vitest-isolation] Invalid options of isolation() in unknown-uses.config.ts: resource "thing": uses "thign", which is not a declared resource (declared: thing). Did you mean "thing"? Declare "thign" or remove it from uses."`)
  })

  test('a cycle in uses', async () => {
    expect(await message('cycle.config.ts')).toMatchInlineSnapshot(`"[vitest-isolation] Invalid options of isolation() in cycle.config.ts: resource "a": its uses form a cycle a → b → a. Break the cycle: a factory cannot receive itself."`)
  })

  test('a module that does not resolve', async () => {
    expect(await message('missing-module.config.ts')).toMatchInlineSnapshot(`"[vitest-isolation] Invalid options of isolation() in missing-module.config.ts: resource "thing": cannot resolve the module "./nowhere.ts" from missing-module.config.ts. Check the path (relative to the config file's folder), the alias, or that the package is installed."`)
  })

  test('a module without the export', async () => {
    expect(await message('missing-export.config.ts')).toMatchInlineSnapshot(`"[vitest-isolation] Invalid options of isolation() in missing-export.config.ts: resource "thing": the module "./thing.ts" has no export "newThnig" (it exports: newOther, newThing). Fix the export name after "#" (or in "export"), or export the factory from the module."`)
  })
})

describe('start-up problems are reported all at once', () => {
  test('one error lists every problem: options, names, uses, cycles, modules, exports', async () => {
    const error = await startupError('options', 'many-problems.config.ts')
    expect(error?.name).toBe('IsolationOptionsError')
    expect(error?.message).toMatchInlineSnapshot(`
      "[vitest-isolation] Invalid options of isolation() in many-problems.config.ts (8 problems):
        - unknown option "leak"; did you mean "leaks"? Known options: include, exclude, mode, resources, leaks, retention, report, journal, ignoreGlobals.
        - resource "my-db": the name is not a valid identifier, so tests cannot read it as ctx.my-db. Rename it, e.g. "myDb".
        - resource "client": uses "shceme", which is not a declared resource (declared: my-db, client, a, b, missing, misspelt, db). Declare "shceme" or remove it from uses.
        - resource "a": its uses form a cycle a → b → a. Break the cycle: a factory cannot receive itself.
        - resource "missing": cannot resolve the module "./nowhere.ts" from many-problems.config.ts. Check the path (relative to the config file's folder), the alias, or that the package is installed.
        - resource "misspelt": the module "./thing.ts" has no export "newThnig" (it exports: newOther, newThing). Fix the export name after "#" (or in "export"), or export the factory from the module.
        - resource "db": unknown key "exports"; did you mean "export"? Known keys: module, export, uses.
        - resource "db": the module "./kinds.ts" has no export "default" (it exports: Db, Mode, db, newDb, port, settings, tables, url). Fix the export name after "#" (or in "export"), or export the factory from the module."
    `)
  })

  test('an export that is not a function or class names the resource, the export and what was found', async () => {
    const error = await startupError('options', 'not-callable.config.ts')
    expect(error?.name).toBe('IsolationOptionsError')
    expect(error?.message).toMatchInlineSnapshot(`
      "[vitest-isolation] Invalid options of isolation() in not-callable.config.ts (6 problems):
        - resource "db": the export "db" of ./kinds.ts is an object, not a factory function or class: the plugin makes each test's instance by calling factory(deps), or new Factory(deps) for a class. Fix: point the resource at a function that returns a fresh instance, or at a class.
        - resource "url": the export "url" of ./kinds.ts is a string, not a factory function or class: the plugin makes each test's instance by calling factory(deps), or new Factory(deps) for a class. Fix: point the resource at a function that returns a fresh instance, or at a class.
        - resource "port": the export "port" of ./kinds.ts is a number, not a factory function or class: the plugin makes each test's instance by calling factory(deps), or new Factory(deps) for a class. Fix: point the resource at a function that returns a fresh instance, or at a class.
        - resource "tables": the export "tables" of ./kinds.ts is an array, not a factory function or class: the plugin makes each test's instance by calling factory(deps), or new Factory(deps) for a class. Fix: point the resource at a function that returns a fresh instance, or at a class.
        - resource "mode": the export "Mode" of ./kinds.ts is an enum (an object), not a factory function or class: the plugin makes each test's instance by calling factory(deps), or new Factory(deps) for a class. Fix: point the resource at a function that returns a fresh instance, or at a class.
        - resource "reexported": the export "port" of ./reexports.ts (defined in kinds.ts) is a number, not a factory function or class: the plugin makes each test's instance by calling factory(deps), or new Factory(deps) for a class. Fix: point the resource at a function that returns a fresh instance, or at a class."
    `)
  })

  test('a class export passes the start-up check', async () => {
    expect(await startupError('options', 'class-export.config.ts')).toBeUndefined()
  })
})

describe('exports whose kind only run time shows', async () => {
  const result = await runFixture('computed-export')

  test('a class is constructed with new; an object fails the test that reads it with the fix', () => {
    expect(states(result)).toEqual({
      'computed.test.ts > a class picked by a call is constructed per test, with its deps': 'passed',
      'computed.test.ts > an object export fails the test that reads it, naming the resource, the export and what was found': 'failed',
    })
    expect(result.tests['computed.test.ts > an object export fails the test that reads it, naming the resource, the export and what was found'].errors).toEqual([
      '[vitest-isolation] The resource "settings": the export "settings" of ./kinds.ts (declared in vitest.config.ts) is an object, not a factory function or class: the plugin makes each test\'s instance by calling factory(deps), or new Factory(deps) for a class. Fix: point the resource at a function that returns a fresh instance, or at a class.',
    ])
  })
})

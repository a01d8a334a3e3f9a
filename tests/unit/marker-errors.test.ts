import { describe, expect, test } from 'vitest'
import { isolation } from '../../plugin/index.ts'
import { MarkerError, TransformSyntaxError, transformTestFile } from '../../plugin/transform/index.ts'

const OPTIONS = { root: '/repo', mode: 'marked', runtimeId: 'vitest-isolation/runtime', resources: [] } as const

/** The error `transformTestFile` throws for `code`, or the result when it does not throw. */
function errorOf(code: string, id = '/repo/tests/a.test.ts'): unknown {
  try {
    return transformTestFile(code, id, OPTIONS)
  } catch (error) {
    return error
  }
}

/** The message of the thrown error, which must be a `MarkerError`. */
function message(code: string): string {
  const error = errorOf(code)
  if (!(error instanceof MarkerError)) throw new Error(`expected a MarkerError, got ${String(error)}`)
  return error.message
}

describe('marker errors', () => {
  test('dangling marker at the end of the file', () => {
    expect(message(`test('a', () => {})\n// @isolate\n`)).toMatchInlineSnapshot(`
      "[vitest-isolation] The @isolate marker at the end of the file is not attached to anything (tests/a.test.ts:2:1)

        1 | test('a', () => {})
      > 2 | // @isolate
          | ^

      A marker attaches to the statement directly below it (only comments may stand between), which must be a call of test/it/describe/suite — with any chain such as .concurrent, .only, .skip, .each(…)(…), .for(…)(…) — or of a function made by test.extend(…) in this file, or a top-level const or let declaration.
      Fix: Move the marker directly above a test or suite call or a top-level const/let, or delete it."
    `)
  })

  test('dangling marker at the end of a block', () => {
    expect(message(`describe('s', () => {\n  test('a', () => {})\n  // @isolate\n})\ntest('b', () => {})\n`)).toMatchInlineSnapshot(`
      "[vitest-isolation] The @isolate marker is not attached to anything: no statement starts below it (tests/a.test.ts:3:3)

        1 | describe('s', () => {
        2 |   test('a', () => {})
      > 3 |   // @isolate
          |   ^
        4 | })
        5 | test('b', () => {})

      A marker attaches to the statement directly below it (only comments may stand between), which must be a call of test/it/describe/suite — with any chain such as .concurrent, .only, .skip, .each(…)(…), .for(…)(…) — or of a function made by test.extend(…) in this file, or a top-level const or let declaration.
      Fix: Move the marker directly above a test or suite call or a top-level const/let, or delete it."
    `)
  })

  test('marker above a call that is not a test', () => {
    expect(message(`// @isolate\nsetup({ fast: true })\n`)).toMatchInlineSnapshot(`
      "[vitest-isolation] The @isolate marker is above a call of "setup", which is not a test or suite call (tests/a.test.ts:1:1)

      > 1 | // @isolate
          | ^
        2 | setup({ fast: true })

      A marker attaches to the statement directly below it (only comments may stand between), which must be a call of test/it/describe/suite — with any chain such as .concurrent, .only, .skip, .each(…)(…), .for(…)(…) — or of a function made by test.extend(…) in this file, or a top-level const or let declaration.
      Fix: Move the marker directly above a test or suite call or a top-level const/let, or delete it. If "setup" defines tests, mark the test calls inside it; a function made by test.extend(…) in another module is not recognised: mark the file with @vitest-isolate instead."
    `)
  })

  test('marker above test.each without its second call', () => {
    expect(message(`// @isolate\ntest.each([1, 2])\n`)).toMatchInlineSnapshot(`
      "[vitest-isolation] The @isolate marker is above a call of "test.each", which is not a test or suite call (tests/a.test.ts:1:1)

      > 1 | // @isolate
          | ^
        2 | test.each([1, 2])

      A marker attaches to the statement directly below it (only comments may stand between), which must be a call of test/it/describe/suite — with any chain such as .concurrent, .only, .skip, .each(…)(…), .for(…)(…) — or of a function made by test.extend(…) in this file, or a top-level const or let declaration.
      Fix: test.each(…) makes a test function but defines no test by itself: mark the call of its result (\`test.each(…)(name, fn)\`), or delete the marker."
    `)
  })

  test('marker above var', () => {
    expect(message(`// @isolate\nvar shared = {}\n`)).toMatchInlineSnapshot(`
      "[vitest-isolation] The @isolate marker is above a "var" declaration (tests/a.test.ts:1:1)

      > 1 | // @isolate
          | ^
        2 | var shared = {}

      Only const and let declarations can be marked.
      Fix: Declare the binding with const or let."
    `)
  })

  test('marker inside a function body above a const', () => {
    expect(message(`test('a', () => {\n  // @isolate\n  const local = {}\n})\n`)).toMatchInlineSnapshot(`
      "[vitest-isolation] The @isolate marker is above a const declaration inside a function or block (tests/a.test.ts:2:3)

        1 | test('a', () => {
      > 2 |   // @isolate
          |   ^
        3 |   const local = {}
        4 | })

      Only top-level const and let bindings can be marked; a binding inside a function or block is created afresh each time that code runs anyway.
      Fix: Move the declaration to the top level of the module, or delete the marker."
    `)
  })

  test('marker above a function declaration', () => {
    expect(message(`// @isolate\nfunction helper() {}\n`)).toMatchInlineSnapshot(`
      "[vitest-isolation] The @isolate marker is above a function declaration (tests/a.test.ts:1:1)

      > 1 | // @isolate
          | ^
        2 | function helper() {}

      A marker attaches to the statement directly below it (only comments may stand between), which must be a call of test/it/describe/suite — with any chain such as .concurrent, .only, .skip, .each(…)(…), .for(…)(…) — or of a function made by test.extend(…) in this file, or a top-level const or let declaration.
      Fix: Move the marker directly above a test or suite call or a top-level const/let, or delete it."
    `)
  })

  test('marker above an object property is not above a statement', () => {
    expect(message(`const config = {\n  // @isolate\n  retries: 2,\n}\n`)).toMatchInlineSnapshot(`
      "[vitest-isolation] The @isolate marker is not attached to anything: no statement starts below it (tests/a.test.ts:2:3)

        1 | const config = {
      > 2 |   // @isolate
          |   ^
        3 |   retries: 2,
        4 | }

      A marker attaches to the statement directly below it (only comments may stand between), which must be a call of test/it/describe/suite — with any chain such as .concurrent, .only, .skip, .each(…)(…), .for(…)(…) — or of a function made by test.extend(…) in this file, or a top-level const or let declaration.
      Fix: Move the marker directly above a test or suite call or a top-level const/let, or delete it."
    `)
  })

  test('blank line between marker and statement', () => {
    expect(message(`// @isolate\n\nconst scheme = newScheme()\n`)).toMatchInlineSnapshot(`
      "[vitest-isolation] The @isolate marker is separated from the statement below it by a blank line (tests/a.test.ts:1:1)

      > 1 | // @isolate
          | ^
        2 |
        3 | const scheme = newScheme()

      A marker attaches to the statement directly below it (only comments may stand between), which must be a call of test/it/describe/suite — with any chain such as .concurrent, .only, .skip, .each(…)(…), .for(…)(…) — or of a function made by test.extend(…) in this file, or a top-level const or let declaration.
      Fix: Remove the blank line between the marker and the statement."
    `)
  })

  test('marker at the end of a line of code', () => {
    expect(message(`const scheme = newScheme() // @isolate\ntest('a', () => {})\n`)).toMatchInlineSnapshot(`
      "[vitest-isolation] The @isolate marker ends a line of code instead of standing above a statement (tests/a.test.ts:1:28)

      > 1 | const scheme = newScheme() // @isolate
          |                            ^
        2 | test('a', () => {})

      A marker attaches to the statement directly below it (only comments may stand between), which must be a call of test/it/describe/suite — with any chain such as .concurrent, .only, .skip, .each(…)(…), .for(…)(…) — or of a function made by test.extend(…) in this file, or a top-level const or let declaration.
      Fix: Put the marker on its own line directly above the statement it marks."
    `)
  })

  test('exported marked binding: export const', () => {
    expect(message(`// @isolate\nexport const scheme = newScheme(), other = 1\n`)).toMatchInlineSnapshot(`
      "[vitest-isolation] The marked bindings "scheme", "other" are exported (tests/a.test.ts:1:1)

      > 1 | // @isolate
          | ^
        2 | export const scheme = newScheme(), other = 1

      A marked binding has one value per test, which an importing module cannot see through an import.
      Fix: Remove the export (export a function that creates the value instead), or remove the marker."
    `)
  })

  test('exported marked binding: export specifier and export default', () => {
    expect(message(`// @isolate\nconst scheme = newScheme()\nexport { scheme as sharedScheme }\nexport default scheme\n`)).toMatchInlineSnapshot(`
      "[vitest-isolation] 2 problems with isolation markers in tests/a.test.ts:

      1. The marked binding "scheme" is exported (tests/a.test.ts:3:10)

           1 | // @isolate
           2 | const scheme = newScheme()
         > 3 | export { scheme as sharedScheme }
             |          ^
           4 | export default scheme

         A marked binding has one value per test, which an importing module cannot see through an import.
         Fix: Remove the export (export a function that creates the value instead), or remove the marker.

      2. The marked binding "scheme" is exported (tests/a.test.ts:4:16)

           2 | const scheme = newScheme()
           3 | export { scheme as sharedScheme }
         > 4 | export default scheme
             |                ^

         A marked binding has one value per test, which an importing module cannot see through an import.
         Fix: Remove the export (export a function that creates the value instead), or remove the marker."
    `)
  })

  test('destructured marked binding', () => {
    expect(message(`// @isolate\nconst [first, second] = makePair()\n`)).toMatchInlineSnapshot(`
      "[vitest-isolation] The marked declaration destructures its value (tests/a.test.ts:2:7)

        1 | // @isolate
      > 2 | const [first, second] = makePair()
          |       ^

      A marker re-binds named bindings one by one; destructuring patterns cannot be re-bound per test.
      Fix: Mark a plain binding (\`const value = …\`) and read its properties, or give each name its own marked declaration."
    `)
  })

  test('await in the initializer', () => {
    expect(message(`// @isolate\nconst client = await connect()\n`)).toMatchInlineSnapshot(`
      "[vitest-isolation] The initializer of the marked binding "client" uses await (tests/a.test.ts:2:16)

        1 | // @isolate
      > 2 | const client = await connect()
          |                ^

      A marked binding’s initializer runs lazily and synchronously, on the first read in each test.
      Fix: Make the initializer synchronous. For asynchronous set-up declare a resource (async factories are awaited before beforeEach), or assign a marked let in beforeEach."
    `)
  })

  test('await inside a nested function of the initializer is allowed', () => {
    expect(errorOf(`// @isolate\nconst load = async () => await connect()\n`)).not.toBeInstanceOf(Error)
  })

  test('marker text with more words on its line', () => {
    expect(message(`// @isolate because the scheme is shared\nconst scheme = newScheme()\n`)).toMatchInlineSnapshot(`
      "[vitest-isolation] The comment "@isolate because the scheme is shared" is not a marker: a marker comment holds only "@isolate" (or "@vitest-isolate") (tests/a.test.ts:1:1)

      > 1 | // @isolate because the scheme is shared
          | ^
        2 | const scheme = newScheme()

      Any other text on the marker’s line makes it ambiguous, and a marker is never silently ignored.
      Fix: Write the marker alone on its line (\`// @isolate\`) and put explanations in a separate comment."
    `)
  })

  test('file marker after the first statement', () => {
    expect(message(`import { test } from 'vitest'\n// @vitest-isolate\ntest('a', () => {})\n`)).toMatchInlineSnapshot(`
      "[vitest-isolation] The @vitest-isolate file marker is not in the leading comments of the file (tests/a.test.ts:2:1)

        1 | import { test } from 'vitest'
      > 2 | // @vitest-isolate
          | ^
        3 | test('a', () => {})

      The file marker must stand before the first statement, like Vitest’s @vitest-environment.
      Fix: Move the comment to the top of the file, above the imports."
    `)
  })

  test('several errors at once, in source order', () => {
    expect(
      message(
        [
          `import { test } from 'vitest'`,
          `// @isolate`,
          `export let counter = 0`,
          `// @isolate`,
          `const { a } = pair()`,
          `// @isolate`,
          `helper()`,
          `test('a', () => {`,
          `\t// @isolate`,
          `\tlet local = 1`,
          `})`,
          `// @isolate`,
        ].join('\n'),
      ),
    ).toMatchInlineSnapshot(`
      "[vitest-isolation] 5 problems with isolation markers in tests/a.test.ts:

      1. The marked binding "counter" is exported (tests/a.test.ts:2:1)

           1 | import { test } from 'vitest'
         > 2 | // @isolate
             | ^
           3 | export let counter = 0
           4 | // @isolate

         A marked binding has one value per test, which an importing module cannot see through an import.
         Fix: Remove the export (export a function that creates the value instead), or remove the marker.

      2. The marked declaration destructures its value (tests/a.test.ts:5:7)

           3 | export let counter = 0
           4 | // @isolate
         > 5 | const { a } = pair()
             |       ^
           6 | // @isolate
           7 | helper()

         A marker re-binds named bindings one by one; destructuring patterns cannot be re-bound per test.
         Fix: Mark a plain binding (\`const value = …\`) and read its properties, or give each name its own marked declaration.

      3. The @isolate marker is above a call of "helper", which is not a test or suite call (tests/a.test.ts:6:1)

           4 | // @isolate
           5 | const { a } = pair()
         > 6 | // @isolate
             | ^
           7 | helper()
           8 | test('a', () => {

         A marker attaches to the statement directly below it (only comments may stand between), which must be a call of test/it/describe/suite — with any chain such as .concurrent, .only, .skip, .each(…)(…), .for(…)(…) — or of a function made by test.extend(…) in this file, or a top-level const or let declaration.
         Fix: Move the marker directly above a test or suite call or a top-level const/let, or delete it. If "helper" defines tests, mark the test calls inside it; a function made by test.extend(…) in another module is not recognised: mark the file with @vitest-isolate instead.

      4. The @isolate marker is above a let declaration inside a function or block (tests/a.test.ts:9:2)

            7 | helper()
            8 | test('a', () => {
         >  9 | 	// @isolate
              | 	^
           10 | 	let local = 1
           11 | })

         Only top-level const and let bindings can be marked; a binding inside a function or block is created afresh each time that code runs anyway.
         Fix: Move the declaration to the top level of the module, or delete the marker.

      5. The @isolate marker at the end of the file is not attached to anything (tests/a.test.ts:12:1)

           10 | 	let local = 1
           11 | })
         > 12 | // @isolate
              | ^

         A marker attaches to the statement directly below it (only comments may stand between), which must be a call of test/it/describe/suite — with any chain such as .concurrent, .only, .skip, .each(…)(…), .for(…)(…) — or of a function made by test.extend(…) in this file, or a top-level const or let declaration.
         Fix: Move the marker directly above a test or suite call or a top-level const/let, or delete it."
    `)
  })

  test('the error carries the first position, a frame, Rollup-style loc and every problem', () => {
    const error = errorOf(`test('a')\n\n  // @isolate\n  foo()\n// @isolate\n`)
    expect(error).toBeInstanceOf(MarkerError)
    const { id, file, line, column, loc, problems } = error as MarkerError
    expect({ id, file, line, column, loc, count: problems.length }).toStrictEqual({
      id: '/repo/tests/a.test.ts',
      file: 'tests/a.test.ts',
      line: 3,
      column: 3,
      loc: { file: '/repo/tests/a.test.ts', line: 3, column: 2 },
      count: 2,
    })
    expect((error as MarkerError).frame).toMatchInlineSnapshot(`
      "  1 | test('a')
        2 |
      > 3 |   // @isolate
          |   ^
        4 |   foo()
        5 | // @isolate"
    `)
  })

  test('CRLF line endings do not leak into frames', () => {
    expect(message(`test('a')\r\n// @isolate\r\nvar x = 1\r\n`)).toMatchInlineSnapshot(`
      "[vitest-isolation] The @isolate marker is above a "var" declaration (tests/a.test.ts:2:1)

        1 | test('a')
      > 2 | // @isolate
          | ^
        3 | var x = 1

      Only const and let declarations can be marked.
      Fix: Declare the binding with const or let."
    `)
  })

  test('a syntax error is a TransformSyntaxError with its position and frame (the plugin leaves it to Vite)', () => {
    const error = errorOf(`// @isolate\nconst x = ;\ntest('a', () => {})\n`)
    expect(error).toBeInstanceOf(TransformSyntaxError)
    expect((error as Error).message).toMatchInlineSnapshot(`
      "[vitest-isolation] Cannot read isolation markers: tests/a.test.ts:2:11: Unexpected token

        1 | // @isolate
      > 2 | const x = ;
          |           ^
        3 | test('a', () => {})"
    `)
  })
})

/** Runs the plugin's transform hook on `code` the way Vite would, with a context whose `error` throws what it gets. */
async function viaPlugin(code: string, id = '/repo/tests/a.test.ts'): Promise<unknown> {
  const plugin = isolation()
  const configResolved = plugin.configResolved as (config: unknown) => void
  configResolved.call({}, { root: '/repo', configFile: '/repo/vitest.config.ts', test: { include: ['tests/**/*.test.ts'], exclude: [] } })
  const context = {
    error: (error: unknown) => {
      throw error
    },
    resolve: () => Promise.resolve(null),
  }
  const transform = plugin.transform as unknown as (this: typeof context, code: string, id: string) => Promise<unknown>
  try {
    return await transform.call(context, code, id)
  } catch (error) {
    return { thrown: error }
  }
}

describe('marker errors through the plugin', () => {
  test('a syntax error in a marked file is left to the next plugin, which reports it with its own frame', async () => {
    expect(await viaPlugin(`// @isolate\nconst x = ;\ntest('a', () => {})\n`)).toBeNull()
  })

  test('a marker error reaches Vite with its code frame once: in the message, with no frame or loc to print again', async () => {
    expect(await viaPlugin(`// @isolate\nsetup()\n`)).toMatchInlineSnapshot(`
      {
        "thrown": {
          "id": "/repo/tests/a.test.ts",
          "message": "[vitest-isolation] The @isolate marker is above a call of "setup", which is not a test or suite call (tests/a.test.ts:1:1)

      > 1 | // @isolate
          | ^
        2 | setup()

      A marker attaches to the statement directly below it (only comments may stand between), which must be a call of test/it/describe/suite — with any chain such as .concurrent, .only, .skip, .each(…)(…), .for(…)(…) — or of a function made by test.extend(…) in this file, or a top-level const or let declaration.
      Fix: Move the marker directly above a test or suite call or a top-level const/let, or delete it. If "setup" defines tests, mark the test calls inside it; a function made by test.extend(…) in another module is not recognised: mark the file with @vitest-isolate instead.",
          "plugin": "vitest-isolation",
        },
      }
    `)
  })
})

/**
 * Where a test is declared, found by the runtime from its file's source (`runtime/declarations.ts`), against the place
 * Vitest records with `includeTaskLocation`: the same line and column for every test that has one (the line only on Vite
 * 7, see below), on a fixture of every declaration form and on the fixtures of the other e2e tests.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { PassThrough } from 'node:stream'
import type { RunnerTestCase } from 'vitest'
import { version as viteVersion } from 'vite'
import { createVitest } from 'vitest/node'
import { describe, expect, test } from 'vitest'
import { declaredAt } from '../../runtime/declarations.ts'
import { FIXTURES } from './helpers.ts'

// Vite 7 compiles TypeScript with esbuild, whose source maps put the call of `test.each(rows)(…)` one column before its
// parenthesis, so Vitest's column there is one less than V8's in the original source; the line is the same.
const EXACT_COLUMNS = Number(viteVersion.split('.')[0]) >= 8

/** Vitest's place and ours agree: the line always, the column too where Vitest's source maps are exact. */
function expectSame(place: string | undefined, recorded: string | undefined, key: string): void {
  expect(place, key).toBeDefined()
  if (EXACT_COLUMNS || place === undefined || recorded === undefined) expect(place, key).toBe(recorded)
  else expect(place.split(':')[0], key).toBe(recorded.split(':')[0])
}

/** Every test of the fixture's files: Vitest's place (`line:column`) and the one read from the source without it. */
async function compare(name: string, files?: string[]): Promise<Record<string, [string | undefined, string | undefined]>> {
  const root = resolve(FIXTURES, name)
  const cacheDir = mkdtempSync(join(tmpdir(), `vitest-isolation-e2e-${name.replaceAll('/', '-')}-`))
  const stream = new PassThrough()
  stream.resume()
  const vitest = await createVitest(
    'test',
    { root, config: join(root, 'vitest.config.ts'), watch: false, reporters: [{}], includeTaskLocation: true },
    { cacheDir },
    { stdout: stream, stderr: stream },
  )
  try {
    // Run, not `collect()`: Vitest 5 collects statically, without running the files, so its names would be unformatted.
    await vitest.start(files)
    const places: Record<string, [string | undefined, string | undefined]> = {}
    for (const module of vitest.state.getTestModules()) {
      for (const testCase of module.children.allTests()) {
        // The task as the worker sent it: name, suite chain, file path, and Vitest's location.
        const task = (testCase as unknown as { task: RunnerTestCase }).task
        const recorded = task.location
        delete task.location
        const found = declaredAt(task)
        task.location = recorded
        let key = `${module.relativeModuleId} > ${testCase.fullName}`
        // A second test of the same name: its own key.
        if (key in places) key += ' (2)'
        places[key] = [recorded && `${recorded.line}:${recorded.column}`, found && `${found.line}:${found.column}`]
      }
    }
    return places
  } finally {
    await vitest.close()
    rmSync(cacheDir, { recursive: true, force: true })
  }
}

describe('a test is located from its source as Vitest locates it', () => {
  test('every declaration form', async () => {
    const places = await compare('declarations')
    const found = Object.fromEntries(Object.entries(places).map(([key, [, place]]) => [key, place]))
    expect(found).toEqual({
      'tests/forms.test.ts > plain': '6:1',
      'tests/forms.test.ts > indented it': '7:3',
      'tests/forms.test.ts > skipped': '8:6',
      'tests/forms.test.ts > chain of two': '9:17',
      'tests/forms.test.ts > an alias': '10:1',
      'tests/forms.test.ts > outer > inner': '12:3',
      'tests/forms.test.ts > outer > each 1 > row 1': '14:5',
      'tests/forms.test.ts > outer > each 1 > same name in each': '15:5',
      'tests/forms.test.ts > outer > each 2 > row 2': '14:5',
      'tests/forms.test.ts > outer > each 2 > same name in each': '15:5',
      'tests/forms.test.ts > outer > printf 1': '17:24',
      'tests/forms.test.ts > outer > printf 2': '17:24',
      'tests/forms.test.ts > outer > object 1': '20:34',
      'tests/forms.test.ts > outer > object 2': '20:34',
      'tests/forms.test.ts > outer > for 1': '21:19',
      'tests/forms.test.ts > outer > for 2': '21:19',
      'tests/forms.test.ts > outer > extended': '22:3',
      'tests/forms.test.ts > outer > on two lines': '26:19',
      'tests/forms.test.ts > outer > inner suite > deep': '28:5',
      'tests/forms.test.ts > outer > inner suite > plain': '29:5',
      // Two tests of one name: told apart by their order.
      'tests/forms.test.ts > twice': '32:1',
      'tests/forms.test.ts > twice (2)': '33:1',
      // Two tests no named call matches (`100%% of %i` is formatted as Vitest does, not as printf) and one computed-name
      // call: neither is given the call's line.
      'tests/forms.test.ts > computed': undefined,
      'tests/forms.test.ts > 100% 7 of NaN': undefined,
      'tests/forms.test.ts > template computed': '36:1',
      'tests/forms.test.ts > spaced': '37:1',
      'tests/forms.test.ts > 100% literal %s': '38:1',
      'tests/forms.test.ts > helper > declared in a helper': '40:3',
      'tests/view.test.tsx > renders <View />': '12:1',
      'tests/plain.test.js > js > reads a regex /it\\(/ too': '4:3',
    })
    // And each place found is the one Vitest gives.
    for (const [key, [recorded, place]] of Object.entries(places)) if (place !== undefined) expectSame(place, recorded, key)
  })

  test.each([
    'each-for',
    'extend',
    'journal/hooks',
    'journal/module-state',
    'leaks/shared',
    'travel',
    'concurrent',
    'seed-flake',
    'lifecycle',
    'retries',
    'preserve',
    'clean',
  ])('the %s fixture', async (name) => {
    const places = await compare(name)
    const tests = Object.entries(places)
    expect(tests.length).toBeGreaterThan(0)
    for (const [key, [recorded, place]] of tests) expectSame(place, recorded, key)
  })
})

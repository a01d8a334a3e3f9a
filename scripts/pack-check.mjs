#!/usr/bin/env node
// Proves the published package stands on its own. From a clean clone of the repository's HEAD (no dist/, nothing built),
// `npm pack` must build it (the `prepack` script) and ship the built JS, the .d.ts files and source maps that resolve;
// then the tarball is installed into an empty temporary project (with nothing from this repository around it), both
// entries are imported, a real Vitest suite runs through the plugin there, and the `TestContext` declaration file of
// docs/reference.md type-checks against the packed types exactly as documented.
// It checks what is committed: uncommitted changes of this working tree are not in the clone.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

const repo = resolve(import.meta.dirname, '..')
const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'))
const installed = (name) => lock.packages[`node_modules/${name}`].version
const keep = process.argv.includes('--keep')

function run(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' })
}

function fail(message) {
  throw new Error(`pack check: ${message}`)
}

/** Every file under `dir`, relative to it, with `/` separators. */
function filesUnder(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  )
}

/**
 * The `TestContext` declaration file as docs/reference.md shows it (the ```ts block that starts with
 * `// vitest-isolation.d.ts`), so what is type-checked here is exactly what users copy.
 */
function documentedDeclaration(checkout) {
  const reference = readFileSync(join(checkout, 'docs', 'reference.md'), 'utf8')
  const block = /```ts\n(\/\/ vitest-isolation\.d\.ts\n[\s\S]*?)```/.exec(reference)
  if (!block) fail('docs/reference.md has no ```ts block starting with "// vitest-isolation.d.ts" (the TestContext declaration file)')
  return block[1]
}

/**
 * What a user sees when the runtime throws: every stack frame Vitest prints inside the package must name a file the
 * package ships (a frame at a path that does not exist is a dead link in the editor, and Vitest shows no code for it).
 * Returns the number of such frames (at least one, or the check checked nothing).
 */
function checkStackFrames(app) {
  mkdirSync(join(app, 'frames'))
  writeFileSync(join(app, 'frames', 'unknown-resource.test.ts'), `
    import { test } from 'vitest'
    import { useResource } from 'vitest-isolation/runtime'
    test('reads a resource nobody declared', () => { useResource('undeclared') })
  `)
  const { stdout, stderr } = spawnSync('npx', ['vitest', 'run', 'frames/'], {
    cwd: app,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  })
  // eslint-disable-next-line no-control-regex -- colour codes, should a terminal setting still force them
  const output = `${stdout}${stderr}`.replace(/\x1b\[[0-9;]*m/g, '')
  if (!output.includes('Unknown resource "undeclared"')) fail(`the runtime's error did not reach the output:\n${output}`)
  const paths = [...output.matchAll(/node_modules\/vitest-isolation\/([^\s:()]+):\d+/g)].map((m) => m[1])
  if (paths.length === 0) fail(`no stack frame of the package was printed:\n${output}`)
  const dead = paths.filter((path) => !existsSync(join(app, 'node_modules', 'vitest-isolation', path)))
  if (dead.length) fail(`stack frames name files the package does not ship: ${[...new Set(dead)].join(', ')}`)
  return paths.length
}

/**
 * Every source map in the package must let a debugger or stack trace show the source: each of its `sources` is either a
 * file in the package or carried in `sourcesContent`.
 */
function checkSourceMaps(packageDir, files) {
  const maps = files.filter((file) => file.endsWith('.js.map'))
  const unreadable = []
  for (const file of maps) {
    const map = JSON.parse(readFileSync(join(packageDir, file), 'utf8'))
    map.sources.forEach((source, i) => {
      const shipped = existsSync(resolve(packageDir, dirname(file), map.sourceRoot ?? '', source))
      if (!shipped && typeof map.sourcesContent?.[i] !== 'string') unreadable.push(`${file} → ${source}`)
    })
  }
  if (unreadable.length) fail(`source maps point at sources the package neither ships nor inlines:\n  ${unreadable.join('\n  ')}`)
  // A `sourceMappingURL` comment without its map makes Vite warn for every file that has one.
  for (const file of files.filter((f) => f.endsWith('.js'))) {
    const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(packageDir, file), 'utf8'))?.[1]
    if (url && !url.startsWith('data:') && !files.includes(join(dirname(file), url).replaceAll('\\', '/'))) {
      fail(`${file} names the source map ${url}, which is not in the package`)
    }
  }
  return maps.length
}

const work = mkdtempSync(join(tmpdir(), 'vitest-isolation-pack-'))
try {
  // A clean checkout: what `npm pack` or `npm publish` sees in CI or from a git install. Its node_modules is this
  // repository's (a link; the build needs only the dev dependencies already installed here).
  const clone = join(work, 'clone')
  run('git', ['clone', '--quiet', '--no-hardlinks', repo, clone], work)
  if (existsSync(join(clone, 'dist'))) fail('the clean clone already has a dist/ folder')
  symlinkSync(join(repo, 'node_modules'), join(clone, 'node_modules'), 'dir')
  // No build before packing: `prepack` must do it. npm prints the lifecycle scripts' banners before the JSON.
  const packed = run('npm', ['pack', '--json', '--loglevel=error', '--pack-destination', work], clone)
  const [{ filename, files: packedFiles }] = JSON.parse(packed.slice(packed.search(/^\[/m)))
  const shipped = packedFiles.map((f) => f.path)
  const required = ['dist/plugin/index.js', 'dist/plugin/index.d.ts', 'dist/runtime/index.js', 'dist/runtime/index.d.ts',
    'dist/runtime/setup.js', 'dist/cli/index.js']
  const absent = required.filter((file) => !shipped.includes(file))
  if (absent.length) fail(`npm pack of a clean clone did not ship ${absent.join(', ')} (does "prepack" build?)`)
  const declarations = shipped.filter((file) => file.endsWith('.d.ts')).length

  const unpacked = join(work, 'unpacked')
  mkdirSync(unpacked)
  run('tar', ['-xzf', join(work, filename), '-C', unpacked], work)
  const maps = checkSourceMaps(join(unpacked, 'package'), filesUnder(join(unpacked, 'package')))

  const app = join(work, 'app')
  mkdirSync(join(app, 'src'), { recursive: true })
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'pack-check-app', private: true, type: 'module' }))
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', join(work, filename),
    `vitest@${installed('vitest')}`, `vite@${installed('vite')}`], app)

  // Both entries import by the package's own name, and their public surface is exactly this (a change here is an API change).
  const surface = JSON.parse(run('node', ['--input-type=module', '-e', `
    const plugin = await import('vitest-isolation')
    const runtime = await import('vitest-isolation/runtime')
    if (plugin.default !== plugin.isolation) throw new Error('the default export is not isolation')
    console.log(JSON.stringify({ plugin: Object.keys(plugin).sort(), runtime: Object.keys(runtime).sort() }))
  `], app))
  const expected = {
    plugin: ['IsolationOptionsError', 'default', 'isolation'],
    runtime: ['IsolationLeakError', 'IsolationScopeError', '__vi_iso_runtime', 'currentTest', 'useResource'],
  }
  if (JSON.stringify(surface) !== JSON.stringify(expected)) {
    throw new Error(`pack check: the public exports changed:\n  got      ${JSON.stringify(surface)}\n  expected ${JSON.stringify(expected)}`)
  }
  run(join(app, 'node_modules', '.bin', 'vitest-isolation'), ['--help'], app)

  // One real suite through the plugin: the README's two resources (one using the other), a marked binding, concurrent
  // tests; `ctx` typed by the documented declaration file alone.
  mkdirSync(join(app, 'example-controller', 'scheme'), { recursive: true })
  mkdirSync(join(app, 'example-controller', 'client'), { recursive: true })
  writeFileSync(join(app, 'example-controller', 'scheme', 'index.ts'), `
    export class Scheme { kinds = new Set<string>() }
    export function newScheme(): Scheme { return new Scheme() }
  `)
  writeFileSync(join(app, 'example-controller', 'client', 'index.ts'), `
    import type { Scheme } from '../scheme/index.ts'
    export class FakeClient { constructor(readonly scheme: Scheme) {} }
    export function newFakeClient({ scheme }: { scheme: Scheme }): FakeClient { return new FakeClient(scheme) }
  `)
  writeFileSync(join(app, 'vitest.config.ts'), `
    import { defineConfig } from 'vitest/config'
    import { isolation } from 'vitest-isolation'
    export default defineConfig({
      plugins: [
        isolation({
          resources: {
            scheme: './example-controller/scheme/index.ts#newScheme',
            client: { module: './example-controller/client/index.ts', export: 'newFakeClient', uses: ['scheme'] },
          },
        }),
      ],
      test: { isolate: false },
    })
  `)
  writeFileSync(join(app, 'vitest-isolation.d.ts'), documentedDeclaration(clone))
  writeFileSync(join(app, 'src', 'scheme.test.ts'), `
    import { describe, expect, test } from 'vitest'
    import { newScheme } from '../example-controller/scheme/index.ts'

    // @isolate
    const shared = newScheme()

    // @isolate
    describe.concurrent('per-test state', () => {
      for (const kind of ['a', 'b', 'c', 'd']) {
        test(kind, async ({ scheme, client }) => {
          shared.kinds.add(kind)
          scheme.kinds.add(kind)
          await new Promise((r) => setTimeout(r, 5))
          expect([...shared.kinds]).toEqual([kind])
          expect([...scheme.kinds]).toEqual([kind])
          expect(client.scheme).toBe(scheme)
        })
      }
    })
  `)
  // The JSON goes to a file: the plugin's own reporter prints its findings summary on stdout too.
  run('npx', ['vitest', 'run', 'src/', '--reporter=json', '--outputFile.json=results.json'], app)
  const result = JSON.parse(readFileSync(join(app, 'results.json'), 'utf8'))
  // The types a user writes against the package check too: the test reads ctx.scheme and ctx.client, typed only by
  // vitest-isolation.d.ts as docs/reference.md shows it.
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true,
      allowImportingTsExtensions: true, skipLibCheck: true, types: [] },
    include: ['src', 'example-controller', 'vitest-isolation.d.ts'],
  }))
  run(join(repo, 'node_modules', '.bin', 'tsc'), ['-p', app], app)
  const frames = checkStackFrames(app)
  if (result.numPassedTests !== 4 || result.numFailedTests !== 0) {
    throw new Error(`pack check: expected 4 passing tests, got ${result.numPassedTests} passed / ${result.numFailedTests} failed`)
  }
  // `migrate` from the packed bin, on a project without the plugin: it adds the plugin, runs the suite three times, and
  // finds nothing to change.
  const plain = join(app, 'plain')
  mkdirSync(plain)
  writeFileSync(join(plain, 'vitest.config.ts'), "import { defineConfig } from 'vitest/config'\nexport default defineConfig({ test: { include: ['*.test.ts'] } })\n")
  writeFileSync(join(plain, 'sum.test.ts'), "import { expect, test } from 'vitest'\ntest('adds', () => expect(1 + 1).toBe(2))\n")
  const card = run(join(app, 'node_modules', '.bin', 'vitest-isolation'), ['migrate', '--root', plain], app)
  if (!card.includes('(with vitest-isolation added)') || !card.includes('Nothing breaks when shared.')) fail(`migrate's report card:\n${card}`)
  console.log(
    `pack check: npm pack of a clean clone built ${filename} (${shipped.length} files, ${declarations} .d.ts, ${maps} source ` +
      'maps, each source shipped or inlined); it installs in an empty project; both entries import with the expected ' +
      `exports; 4 passed, 0 failed through the plugin; ${frames} stack frames of a runtime error all name shipped files; ` +
      "docs/reference.md's TestContext declaration file type-checks; migrate adds the plugin to a project without it",
  )
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true })
  else console.log(`kept ${work}`)
}

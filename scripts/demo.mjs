#!/usr/bin/env node
// `npm run demo`: the seed flake (kubernetes-sigs/cluster-api#11722) under vitest-isolation, in ten seconds of reading.
// 1. Runs tests/fixtures/seed-flake through Vitest's Node API: one module-level Scheme shared by two concurrent tests;
//    the sibling fails, and the plugin names the shared Scheme and both tests with their lines.
// 2. Runs a temporary copy with two `// @isolate` markers added: both pass, nothing is found.
// Exits 0 when both happen as described, 1 otherwise. It runs from the repository's sources (the fixture's config
// imports the plugin's TypeScript through Vitest's config loader).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { createVitest } from 'vitest/node'

const repo = fileURLToPath(new URL('..', import.meta.url))
const fixture = join(repo, 'tests', 'fixtures', 'seed-flake')
const TEST_FILE = 'machineset.test.ts'
const MARKED = ['const scheme = ', 'const client = ']

/**
 * Collects what Vitest prints. `end()` is ignored: Vitest pipes each forked worker's stdout into the stream it is given,
 * and the first worker to exit would end it before the reporters' last lines (the findings block among them); `destroy()`
 * likewise.
 */
class Output extends Writable {
  text = ''
  _write(chunk, _encoding, done) {
    this.text += chunk.toString()
    done()
  }
  end() {
    return this
  }
  destroy() {
    return this
  }
}

/** Runs the Vitest project in `root` quietly; returns the test states, the findings and the plugin's console block. */
async function run(root) {
  const cacheDir = mkdtempSync(join(tmpdir(), 'vitest-isolation-demo-'))
  const stream = new Output()
  const vitest = await createVitest(
    'test',
    { root, config: join(root, 'vitest.config.ts'), watch: false, reporters: [{}] },
    { cacheDir },
    { stdout: stream, stderr: stream },
  )
  try {
    await vitest.start()
    const tests = []
    const findings = []
    for (const module of vitest.state.getTestModules()) {
      findings.push(...(module.meta().isolation?.findings ?? []))
      for (const test of module.children.allTests()) {
        tests.push({ name: test.name, state: test.result().state })
        findings.push(...(test.meta().isolation?.findings ?? []))
      }
    }
    const start = stream.text.indexOf('[vitest-isolation]')
    const block = start === -1 ? '(no output from the plugin)' : stream.text.slice(start).trimEnd()
    return { tests, findings: merged(findings), block }
  } finally {
    await vitest.close()
    rmSync(cacheDir, { recursive: true, force: true })
  }
}

/** One finding per object and origin, with every test that observed it (as the plugin's report lists them). */
function merged(findings) {
  const byObject = new Map()
  for (const finding of findings) {
    const key = JSON.stringify([finding.kind, finding.object, finding.origin.file, finding.origin.test, finding.origin.line])
    const seen = byObject.get(key)
    if (seen === undefined) byObject.set(key, { ...finding, observedIn: [...finding.observedIn] })
    else seen.observedIn.push(...finding.observedIn)
  }
  return [...byObject.values()]
}

/** A copy of the fixture beside the repository's sources, with `// @isolate` above `const scheme` and `const client`. */
function markedCopy() {
  const root = join(repo, '.vitest-isolation', `demo-seed-flake-${process.pid}`)
  rmSync(root, { recursive: true, force: true })
  mkdirSync(root, { recursive: true })
  for (const name of readdirSync(fixture).filter((file) => file.endsWith('.ts'))) {
    // Two folders deep instead of three: the copy reaches the repository one `../` sooner.
    writeFileSync(join(root, name), readFileSync(join(fixture, name), 'utf8').replaceAll("'../../../", "'../../"))
  }
  const lines = readFileSync(join(root, TEST_FILE), 'utf8').split('\n')
  const diff = []
  const marked = lines.flatMap((line) => {
    if (!MARKED.some((start) => line.startsWith(start))) return [line]
    diff.push(`   + // @isolate`, `     ${line}`)
    return ['// @isolate', line]
  })
  writeFileSync(join(root, TEST_FILE), marked.join('\n'))
  return { root, diff }
}

const summary = (tests) => {
  const failed = tests.filter((t) => t.state === 'failed').length
  const passed = tests.filter((t) => t.state === 'passed').length
  return failed > 0 ? `${failed} failed | ${passed} passed` : `${passed} passed`
}

const problems = []
console.log('vitest-isolation demo: the seed flake of kubernetes-sigs/cluster-api#11722, under the plugin\n')

const before = await run(fixture)
const failed = before.tests.filter((t) => t.state === 'failed')
console.log(`1) tests/fixtures/seed-flake/${TEST_FILE}, as written: ${summary(before.tests)}`)
for (const test of failed) console.log(`   failed: "${test.name}"`)
console.log(`\n${before.block}\n`)
const [finding] = before.findings
if (failed.length !== 1 || before.tests.length !== 2) problems.push(`expected 1 failed test of 2, got: ${summary(before.tests)}`)
if (!before.block.startsWith('[vitest-isolation] 1 finding: 1 shared-instance')) problems.push('the console block of the finding is missing')
if (
  before.findings.length !== 1 ||
  finding.kind !== 'shared-instance' ||
  finding.concurrent !== true ||
  !finding.object.startsWith('Scheme#') ||
  new Set(finding.observedIn.map((place) => place.test)).size !== 2 ||
  !finding.observedIn.every((place) => typeof place.line === 'number')
) {
  problems.push(`expected one concurrent shared-instance of the Scheme seen by both tests, got ${JSON.stringify(before.findings)}`)
}

const copy = markedCopy()
try {
  const after = await run(copy.root)
  console.log(`2) the fix, two lines in ${TEST_FILE}:`)
  for (const line of copy.diff) console.log(line)
  console.log(`   result: ${summary(after.tests)}`)
  console.log(`   ${after.block}\n`)
  if (copy.diff.length !== 4) problems.push(`expected two markers to be added, got ${copy.diff.length / 2}`)
  if (after.tests.length !== 2 || after.tests.some((t) => t.state !== 'passed')) problems.push(`expected 2 passed, got ${summary(after.tests)}`)
  if (after.findings.length !== 0) problems.push(`expected no findings, got ${after.findings.length}`)
  if (!after.block.startsWith('[vitest-isolation] no findings')) problems.push('the console line of the fixed run is missing')
} finally {
  rmSync(copy.root, { recursive: true, force: true })
}

if (problems.length > 0) {
  console.log(`demo FAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  process.exitCode = 1
} else {
  console.log('demo ok: the shared Scheme is named with both tests, and two markers make both pass with zero findings.')
  // Vitest sets a failing exit code for the first run's failed test; that failure is the point of the demo.
  process.exitCode = 0
}

/**
 * Transform benchmarks (issue 3: a 1,000-line marked test file ≤ 2 ms median, an unmarked file ≤ 0.05 ms).
 *
 * Run from the repository root (`--project unit`: the config's projects would otherwise each run it):
 *   npx vitest bench --run --project unit bench/transform.bench.ts --outputJson bench/results/tmp/transform.json
 * The table shows mean and percentiles; the JSON has each benchmark's `median` (ms). To print the medians:
 *   node -e "for (const f of require('./bench/results/tmp/transform.json').files) for (const g of f.groups) for (const b of g.benchmarks) console.log(b.name.padEnd(60), b.median.toFixed(4), 'ms')"
 *
 * `oxc-parser parse only` is the floor the transform cannot go below: on Node 20 oxc hands the AST to JavaScript as
 * JSON, and `JSON.parse` of it dominates.
 */
import { parseSync } from 'oxc-parser'
import { bench, describe } from 'vitest'
import { instrumentFactories, transformTestFile } from '../plugin/transform/index.ts'
import type { TransformOptions } from '../plugin/transform/index.ts'

const OPTIONS: TransformOptions = {
  root: '/repo',
  mode: 'marked',
  runtimeId: 'vitest-isolation/runtime',
  resources: [
    { name: 'scheme', id: '/repo/example-controller/scheme/index.ts', export: 'newScheme', uses: [] },
    { name: 'client', id: '/repo/example-controller/client/index.ts', export: 'newFakeClient', uses: ['scheme'] },
  ],
}

/** A realistic controller test file of `lines` lines: imports, marked bindings, fixtures, suites of tests. */
function testFile(lines: number, marked: boolean): string {
  const mark = (indent: string): string => (marked ? `${indent}// @isolate\n` : '')
  const head = [
    `import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'`,
    `import { newScheme, type Scheme } from '../scheme/index.ts'`,
    `import { newFakeClient, type Client } from '../client/index.ts'`,
    `import { MachineSetReconciler } from '../controllers/machineset.ts'`,
    ``,
    mark('') + `const scheme: Scheme = newScheme()`,
    mark('') + `let client: Client`,
    mark('') + `const seen = new Map<string, number>()`,
    ``,
    `const clusterTest = test.extend<{ cluster: string }>({ cluster: async ({}, use) => use('default') })`,
    ``,
    `beforeEach(() => {`,
    `  client = newFakeClient({ scheme })`,
    `  seen.clear()`,
    `})`,
    ``,
  ].join('\n')
  const out: string[] = [head]
  let count = head.split('\n').length
  for (let suite = 0; count < lines - 30; suite++) {
    const block = [
      mark('') + `describe('MachineSet ${suite}', () => {`,
      `  /** Replicas to reconcile towards. */`,
      `  const replicas = ${suite % 5} + 1`,
      ``,
      mark('  ') + `  test.concurrent('scales up to ${suite} replicas', async ({ expect }) => {`,
      `    const reconciler = new MachineSetReconciler(client, scheme)`,
      `    const ms = { metadata: { name: 'ms-${suite}', namespace: 'default' }, spec: { replicas } }`,
      `    await client.create(ms)`,
      `    const result = await reconciler.reconcile({ name: ms.metadata.name, namespace: 'default' })`,
      `    expect(result.requeue).toBe(false)`,
      `    const machines = await client.list('Machine', { namespace: 'default' })`,
      `    expect(machines.items).toHaveLength(replicas)`,
      `    seen.set(ms.metadata.name, machines.items.length)`,
      `  })`,
      ``,
      mark('  ') + `  clusterTest('keeps owner references (${suite})', async ({ cluster }) => {`,
      `    const owner = { kind: 'MachineSet', name: \`ms-\${cluster}-${suite}\` } as const`,
      `    for (const machine of (await client.list('Machine')).items) {`,
      `      expect(machine.metadata.ownerReferences?.[0]).toMatchObject(owner)`,
      `    }`,
      `    expect(typeof scheme.recognizes).toBe('function')`,
      `  })`,
      `})`,
      ``,
    ].join('\n')
    out.push(block)
    count += block.split('\n').length
  }
  while (count < lines) {
    out.push(`// padding line ${count}`)
    count++
  }
  return out.join('\n') + '\n'
}

const MARKED = testFile(1000, true)
const UNMARKED = testFile(1000, false)
const FACTORY_MODULE = `import { Scheme } from './scheme.ts'\n\n/** Makes a registry. */\nexport function newScheme(): Scheme {\n  return new Scheme()\n}\n`

describe('transformTestFile', () => {
  bench(
    '1,000-line marked test file (bindings + tests)',
    () => {
      transformTestFile(MARKED, '/repo/tests/machineset.test.ts', OPTIONS)
    },
    { time: 3000 },
  )

  bench('1,000-line unmarked test file (text check only)', () => {
    transformTestFile(UNMARKED, '/repo/tests/machineset.test.ts', OPTIONS)
  })

  bench(
    'oxc-parser parse only, same marked file (the floor)',
    () => {
      const result = parseSync('/repo/tests/machineset.test.ts', MARKED, { lang: 'ts', sourceType: 'module', astType: 'ts' })
      void result.program
      void result.comments
    },
    { time: 3000 },
  )
})

describe('instrumentFactories', () => {
  bench('small factory module', () => {
    instrumentFactories(FACTORY_MODULE, '/repo/example-controller/scheme/index.ts', [OPTIONS.resources[0]], OPTIONS)
  })
})

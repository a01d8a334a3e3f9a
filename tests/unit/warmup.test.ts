import { expect, test } from 'vitest'
import type { TestSpecification, Vitest } from 'vitest/node'
import { runOrder, TransformWarmup } from '../../plugin/warmup.ts'

type Requests = string[]

/** A specification of `file` in a project named `name` whose Vite environments record the transform requests. */
function spec(
  file: string,
  requests: Requests,
  project: { name?: string; environment?: string; config?: object; pool?: string } = {},
  onRequest: (url: string) => void = () => undefined,
): TestSpecification {
  const environment = (name: string) => ({
    transformRequest: async (url: string) => {
      requests.push(`${name}:${url}`)
      onRequest(url)
      if (url.includes('broken')) throw new Error('syntax error')
      return { code: '' }
    },
  })
  return {
    moduleId: file,
    pool: project.pool ?? 'forks',
    project: {
      name: project.name ?? 'unit',
      config: { environment: project.environment ?? 'node', experimental: {}, ...project.config },
      vite: { environments: { ssr: environment('ssr'), client: environment('client') } },
    },
  } as unknown as TestSpecification
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10))

test('transforms the run’s files one after another, in the order Vitest runs them, in their environment', async () => {
  const requests: Requests = []
  new TransformWarmup().start([
    spec('/p/b.test.ts', requests),
    spec('/p/broken.test.ts', requests),
    spec('/p/a.test.ts', requests, { environment: 'jsdom' }),
    spec('/p/custom.test.ts', requests, { environment: './my-environment.ts' }),
  ])
  await settle()
  // A failed transform does not stop the others (the worker's own import reports it); an environment whose Vite
  // environment is not known is left alone.
  expect(requests).toEqual(['ssr:/p/b.test.ts', 'ssr:/p/broken.test.ts', 'client:/p/a.test.ts'])
})

test('leaves alone other projects, typecheck specs, and projects that read transforms from Vitest’s file cache', async () => {
  const requests: Requests = []
  new TransformWarmup().start(
    [
      spec('/p/other.test.ts', requests, { name: 'other' }),
      spec('/p/types.test-d.ts', requests, { pool: 'typescript' }),
      spec('/p/cached4.test.ts', requests, { config: { experimental: { fsModuleCache: true } } }),
      spec('/p/cached5.test.ts', requests, { config: { fsModuleCache: true } }),
      spec('/p/mine.test.ts', requests),
    ],
    new Set(['unit']),
  )
  await settle()
  expect(requests).toEqual(['ssr:/p/mine.test.ts'])
})

test('stop() ends the warm-up after the file in progress', async () => {
  const requests: Requests = []
  const warmup = new TransformWarmup()
  const stopAtFirst = () => warmup.stop()
  warmup.start([spec('/p/1.test.ts', requests, {}, stopAtFirst), spec('/p/2.test.ts', requests), spec('/p/3.test.ts', requests)])
  await settle()
  expect(requests).toEqual(['ssr:/p/1.test.ts'])
})

test('warms in the order given, and in Vitest’s order when ordering fails', async () => {
  const requests: Requests = []
  const specs = [spec('/p/1.test.ts', requests), spec('/p/2.test.ts', requests)]
  new TransformWarmup().start(specs, undefined, async (all) => [...all].reverse())
  await settle()
  new TransformWarmup().start(specs, undefined, async () => {
    throw new Error('a custom sequencer failed')
  })
  await settle()
  expect(requests).toEqual(['ssr:/p/2.test.ts', 'ssr:/p/1.test.ts', 'ssr:/p/1.test.ts', 'ssr:/p/2.test.ts'])
})

test('runOrder shards (with --shard) and sorts with the configured sequencer, as the pool does', async () => {
  const requests: Requests = []
  const specs = ['/p/a.test.ts', '/p/b.test.ts', '/p/c.test.ts'].map((file) => spec(file, requests))
  const calls: string[] = []
  class Sequencer {
    constructor(readonly vitest: unknown) {}
    async shard(files: TestSpecification[]) {
      calls.push('shard')
      return files.slice(1)
    }
    async sort(files: TestSpecification[]) {
      calls.push('sort')
      return [...files].reverse()
    }
  }
  const vitest = (shard: object | null) => ({ config: { shard, sequence: { sequencer: Sequencer } } }) as unknown as Vitest
  expect((await runOrder(vitest({ index: 1, count: 2 }), specs)).map((s) => s.moduleId)).toEqual(['/p/c.test.ts', '/p/b.test.ts'])
  expect((await runOrder(vitest(null), specs)).map((s) => s.moduleId)).toEqual(['/p/c.test.ts', '/p/b.test.ts', '/p/a.test.ts'])
  expect(calls).toEqual(['shard', 'sort', 'sort'])
})

/**
 * Ledger benchmarks.
 *
 * Run: npx vitest bench --run --project unit bench/ledger.bench.ts
 *
 * - Tracked-call overhead: Vitest's table compares a call on a class nothing tracks with the same call on a tracked
 *   instance, and on an untracked instance of a tracked class (whose prototype methods are wrapped: it pays one WeakMap
 *   lookup); the `afterAll` block also prints the median ns per call over 21 rounds of 200,000 calls (target: overhead
 *   ≤ 1 µs).
 * - Ledger memory: heapUsed after a forced GC once 1,000 and then 10,000 simulated tests have run through one ledger —
 *   each test tracks two instances, passes fresh objects through them, leaks nothing, and retention is checked per file
 *   of 100 tests (target: flat within 10%).
 */
import { afterAll, bench, describe } from 'vitest'
import { collectGarbage, Ledger, type Owner } from '../runtime/ledger/index.ts'

class Scheme {
  #types = new Map<string, object>()
  addKnownType(kind: string, type: object): void {
    this.#types.set(kind, type)
  }
  typeOf(kind: string): object | undefined {
    return this.#types.get(kind)
  }
}

/** The same class, never tracked: the baseline. */
class PlainScheme {
  #types = new Map<string, object>()
  addKnownType(kind: string, type: object): void {
    this.#types.set(kind, type)
  }
  typeOf(kind: string): object | undefined {
    return this.#types.get(kind)
  }
}

class Machine {
  kind = 'Machine'
  metadata: { name: string; namespace: string }
  constructor(name: string) {
    this.metadata = { name, namespace: 'default' }
  }
}

const scope: Owner = { kind: 'test', file: 'bench/a.test.ts', test: 'bench', id: 'bench', isolated: true }
const ledger = new Ledger({ current: () => scope })
ledger.testStarted(scope)
const direct = new PlainScheme()
const tracked = ledger.track(new Scheme(), { owner: scope, file: scope.file, resource: 'scheme' })
const untracked = new Scheme()
const machine = new Machine('m')
for (const s of [direct, tracked, untracked]) s.addKnownType('Machine', machine)

describe('tracked-call overhead', () => {
  bench('direct call', () => {
    direct.typeOf('Machine')
  })
  bench('untracked instance of a tracked class', () => {
    untracked.typeOf('Machine')
  })
  bench('tracked call (owner test, object result)', () => {
    tracked.typeOf('Machine')
  })
  bench('tracked call (owner test, object argument)', () => {
    tracked.addKnownType('Machine', machine)
  })
})

function nsPerCall(fn: () => void, calls = 200_000, rounds = 21): number {
  const samples: number[] = []
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < calls; i++) fn()
    samples.push(Number(process.hrtime.bigint() - start) / calls)
  }
  samples.sort((x, y) => x - y)
  return samples[Math.floor(rounds / 2)]
}

/** Runs `count` simulated tests through `subject`, files of 100 tests each, retention checked per file. */
async function simulate(subject: Ledger, from: number, count: number, current: { scope: Owner | undefined }): Promise<void> {
  for (let i = from; i < from + count; i++) {
    const file = `tests/f${Math.floor(i / 100)}.test.ts`
    const test: Owner = { kind: 'test', file, test: `t${i}`, id: `${file}::t${i}`, isolated: i % 2 === 0 }
    subject.testStarted(test)
    const token = subject.snapshotGlobals(test)
    current.scope = test
    const scheme = subject.track(new Scheme(), { owner: test, file, resource: 'scheme' })
    const other = subject.track(new Scheme(), { owner: test, file, resource: 'client' })
    for (let k = 0; k < 10; k++) {
      const m = new Machine(`m${k}`)
      scheme.addKnownType(`K${k}`, m)
      other.addKnownType(`K${k}`, scheme.typeOf(`K${k}`)!)
    }
    current.scope = undefined
    subject.checkGlobals(test, token)
    subject.testFinished(test)
    if ((i + 1) % 100 === 0) {
      await subject.checkRetention()
      subject.fileFinished(file)
    }
  }
}

function heapAfterGc(): number {
  collectGarbage()
  collectGarbage()
  return process.memoryUsage().heapUsed
}

afterAll(async () => {
  const direct_ = nsPerCall(() => direct.typeOf('Machine'))
  const untracked_ = nsPerCall(() => untracked.typeOf('Machine'))
  const result_ = nsPerCall(() => tracked.typeOf('Machine'))
  const argument_ = nsPerCall(() => tracked.addKnownType('Machine', machine))
  const current = { scope: undefined as Owner | undefined }
  const subject = new Ledger({ current: () => current.scope })
  const before = heapAfterGc()
  await simulate(subject, 0, 1_000, current)
  const at1k = heapAfterGc()
  await simulate(subject, 1_000, 9_000, current)
  const at10k = heapAfterGc()
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(2)} MB`
  console.log(
    [
      'ledger bench (medians of 21 rounds × 200,000 calls)',
      `  direct call                 ${direct_.toFixed(1)} ns`,
      `  untracked, wrapped class    ${untracked_.toFixed(1)} ns  (overhead ${(untracked_ - direct_).toFixed(1)} ns)`,
      `  tracked, object result      ${result_.toFixed(1)} ns  (overhead ${(result_ - direct_).toFixed(1)} ns)`,
      `  tracked, object argument    ${argument_.toFixed(1)} ns  (overhead vs direct lookup ${(argument_ - direct_).toFixed(1)} ns)`,
      'ledger memory (heapUsed after forced GC)',
      `  before any test             ${mb(before)}`,
      `  after 1,000 tests           ${mb(at1k)}`,
      `  after 10,000 tests          ${mb(at10k)}  (${((at10k / at1k - 1) * 100).toFixed(1)}% vs 1,000; ledger growth ${mb(at10k - at1k)})`,
      `  ledger holds                ${JSON.stringify(subject.stats())}, findings: ${subject.findings().length}`,
    ].join('\n'),
  )
}, 300_000)

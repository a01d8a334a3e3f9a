/**
 * Ledger benchmarks.
 *
 * Run: npx vitest bench --run --project unit bench/ledger.bench.ts
 *
 * - Tracked-call overhead: Vitest's table compares a call on a class nothing tracks with the same call on a tracked
 *   instance, and on an untracked instance of a tracked class (whose prototype methods are wrapped: it pays one WeakMap
 *   lookup); the `afterAll` block also prints the median ns per call over 21 rounds of 200,000 calls (target: overhead
 *   ≤ 1 µs). Arguments are fresh objects too (a test passing what it just made: the first sighting remembers it for the test),
 *   in a test whose file has module roots, as a transformed test file has; that test ends and starts again every 512 calls
 *   (a test remembers at most 1,024 objects), and the fresh-argument figures include those ends and starts.
 * - Per-test cost of the module-value walks (start and end of a test whose file has roots, `travel.ts`): median µs per
 *   simulated test with a root holding 10 and 250 objects, the test passing a fresh object and keeping it in a root.
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
// The bench file's module roots, as the transform registers them: the test is followed (its arguments get stamps).
const kept: { machine?: Machine } = {}
ledger.addRoot({ file: scope.file, name: 'kept', line: 1, get: () => kept })
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
  bench('direct call (fresh object argument)', freshDirectCall)
  bench('tracked call (owner test, fresh object argument)', freshTrackedCall)
})

let calls = 0
/** The bench's test ends and starts again every 512 calls, as a suite's tests do. */
function nextCall(): void {
  if (++calls % 512 !== 0) return
  ledger.testFinished(scope)
  ledger.testStarted(scope)
}

function freshDirectCall(): void {
  direct.addKnownType('Machine', new Machine('m'))
}

function freshTrackedCall(): void {
  nextCall()
  tracked.addKnownType('Machine', new Machine('m'))
}

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
    current.scope = test
    const scheme = subject.track(new Scheme(), { owner: test, file, resource: 'scheme' })
    const other = subject.track(new Scheme(), { owner: test, file, resource: 'client' })
    for (let k = 0; k < 10; k++) {
      const m = new Machine(`m${k}`)
      scheme.addKnownType(`K${k}`, m)
      other.addKnownType(`K${k}`, scheme.typeOf(`K${k}`)!)
    }
    current.scope = undefined
    subject.testFinished(test)
    if ((i + 1) % 100 === 0) {
      await subject.checkRetention()
      subject.fileFinished(file)
    }
  }
}

/** Median µs per simulated test whose file's roots hold `size` objects; each test passes a fresh Machine and keeps it. */
function usPerTest(size: number, tests = 2_000, rounds = 11): number {
  const file = 'bench/walk.test.ts'
  const current = { scope: undefined as Owner | undefined }
  const subject = new Ledger({ current: () => current.scope, retention: false })
  const fixtures = { list: Array.from({ length: size }, (_, i) => ({ i })) }
  const saved: { machine?: Machine } = {}
  subject.addRoot({ file, name: 'fixtures', line: 1, get: () => fixtures })
  subject.addRoot({ file, name: 'saved', line: 2, get: () => saved })
  const samples: number[] = []
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < tests; i++) {
      const test: Owner = { kind: 'test', file, test: `t${i}`, id: `${file}::${r}:${i}`, isolated: false }
      subject.testStarted(test)
      current.scope = test
      const scheme = subject.track(new Scheme(), { owner: test, file, resource: 'scheme' })
      saved.machine = new Machine(`m${i}`)
      scheme.addKnownType('Machine', saved.machine)
      current.scope = undefined
      subject.testFinished(test)
    }
    samples.push(Number(process.hrtime.bigint() - start) / tests / 1000)
  }
  samples.sort((x, y) => x - y)
  return samples[Math.floor(rounds / 2)]
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
  const freshDirect = nsPerCall(freshDirectCall)
  const fresh = nsPerCall(freshTrackedCall)
  const walk10 = usPerTest(10)
  const walk250 = usPerTest(250)
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
      `  direct, fresh argument      ${freshDirect.toFixed(1)} ns`,
      `  tracked, fresh argument     ${fresh.toFixed(1)} ns  (overhead ${(fresh - freshDirect).toFixed(1)} ns)`,
      'per simulated test (start, one tracked call with a fresh object kept in a root, end; medians of 11 × 2,000 tests)',
      `  roots holding 10 objects    ${walk10.toFixed(2)} µs`,
      `  roots holding 250 objects   ${walk250.toFixed(2)} µs`,
      'ledger memory (heapUsed after forced GC)',
      `  before any test             ${mb(before)}`,
      `  after 1,000 tests           ${mb(at1k)}`,
      `  after 10,000 tests          ${mb(at10k)}  (${((at10k / at1k - 1) * 100).toFixed(1)}% vs 1,000; ledger growth ${mb(at10k - at1k)})`,
      `  ledger holds                ${JSON.stringify(subject.stats())}, findings: ${subject.findings().length}`,
    ].join('\n'),
  )
}, 300_000)

/**
 * End-to-end: the leak corpus (tests/fixtures/leaks/) through real Vitest runs, each finding asserted exactly as the JSON
 * report has it — kind, concurrent, object, origin, observing tests, what retains it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { main } from '../../cli/main.ts'
import { formatFinding, githubAnnotations, mergeReports, type Finding, type IsolationReport } from '../../runtime/report/index.ts'
import { brief, runReported, runVitestCli, withEnv, type BriefFinding } from './findings.ts'
import { FIXTURES, runProject, states } from './helpers.ts'

const leaks = (name: string): string => resolve(FIXTURES, 'leaks', name)

const SHARED: BriefFinding[] = [
  {
    kind: 'shared-instance',
    concurrent: false,
    resource: 'cached',
    object: 'Registry#3',
    origin: 'a cached resource > first (cached-factory.test.ts:6)',
    observedIn: ['a cached resource > second (cached-factory.test.ts:11) via cachedRegistry()'],
  },
  {
    kind: 'retained',
    resource: 'registry',
    object: 'Registry#2',
    origin: 'keeps its registry (test-instance.test.ts:8)',
    retainedBy: 'module binding `leaked` (test-instance.test.ts:5)',
  },
  {
    kind: 'shared-instance',
    concurrent: false,
    resource: 'registry',
    object: 'Registry#2',
    origin: 'keeps its registry (test-instance.test.ts:8)',
    observedIn: ['uses the kept registry (test-instance.test.ts:14) via registry.size'],
  },
  {
    kind: 'shared-instance',
    concurrent: false,
    resource: 'registry',
    object: 'Registry#1',
    origin: 'makes and parks a registry (direct-call.test.ts:8)',
    observedIn: ['uses the parked registry (direct-call.test.ts:12) via registry.size'],
  },
  {
    kind: 'shared-instance',
    concurrent: true,
    resource: 'scheme',
    object: 'Scheme#1',
    origin: 'module scope (module-concurrent.test.ts:6)',
    observedIn: [
      'one scheme > lists the kinds (module-concurrent.test.ts:12) via scheme.allKnownTypes',
      'one scheme > asks for a kind (module-concurrent.test.ts:17) via scheme.recognizes',
    ],
  },
  {
    kind: 'shared-instance',
    concurrent: false,
    resource: 'registry',
    object: 'Registry#4',
    origin: 'module scope (module-sequential.test.ts:5)',
    observedIn: [
      'first registers (module-sequential.test.ts:8) via registry.register',
      'second reads what the first left (module-sequential.test.ts:13) via registry.lookup',
    ],
  },
]

const HOLDERS: BriefFinding[] = [
  {
    kind: 'retained',
    resource: 'registry',
    object: 'Registry#6',
    origin: "a helper module's cache (holders.test.ts:34)",
    retainedBy: 'module binding `cache` (holders.test.ts:4) → Map value "k"',
  },
  {
    kind: 'retained',
    resource: 'binding:bag',
    object: 'Object#1',
    origin: 'a marked binding value (holders.test.ts:15)',
    retainedBy: 'module binding `bags` (holders.test.ts:16) → Array[0]',
  },
  {
    kind: 'retained',
    resource: 'registry',
    object: 'Registry#2',
    origin: 'array (holders.test.ts:18)',
    retainedBy: 'module binding `seen` (holders.test.ts:7) → Array[0]',
  },
  {
    kind: 'retained',
    resource: 'registry',
    object: 'Registry#5',
    origin: 'closure (holders.test.ts:30)',
    retainedBy: 'module binding `remember` (holders.test.ts:10) → closure `kept` → Array[0]',
  },
  { kind: 'global-mutation', object: 'globalThis.corpusRegistry', origin: 'globalThis (holders.test.ts:38)' },
  {
    kind: 'retained',
    resource: 'registry',
    object: 'Registry#7',
    origin: 'globalThis (holders.test.ts:38)',
    retainedBy: 'globalThis.corpusRegistry',
  },
  {
    kind: 'retained',
    resource: 'registry',
    object: 'Registry#3',
    origin: 'map (holders.test.ts:22)',
    retainedBy: 'module binding `byName` (holders.test.ts:8) → Map value "r"',
  },
  {
    kind: 'retained',
    resource: 'registry',
    object: 'Registry#4',
    origin: 'set (holders.test.ts:26)',
    retainedBy: 'module binding `members` (holders.test.ts:9) → Set element #0',
  },
]

// Decision: a module-level vi.fn() keeps what it was called with in its call record (`.mock.calls`), and a later test
// sees it (`toHaveBeenCalledTimes`): that is reported, as `retained`, unless Vitest clears the record between tests
// (clearMocks, mockReset or restoreMocks), in which case the object is released before the check.
const MOCK_CALLS: BriefFinding = {
  kind: 'retained',
  resource: 'registry',
  object: 'Registry#15',
  origin: 'reports an event (mock-calls.test.ts:7)',
  retainedBy: 'module binding `onEvent` (mock-calls.test.ts:5) → .mock → .calls → Array[0] → Array[0]',
}

const AFTER_ALL: BriefFinding = {
  kind: 'retained',
  resource: 'registry',
  object: 'Registry#14',
  origin: 'keeps its registry until afterAll (after-all.test.ts:13)',
  retainedBy: 'module binding `kept` (after-all.test.ts:7) → Array[0]',
}

const ARGUMENT_ORIGIN = 'entries > makes an entry (argument.test.ts:11) via registry.entry'
const RESULT_ORIGIN = 'stores its entry in the shared registry (result.test.ts:8) via registry.entry'

/** The findings in brief, with the labels' counters replaced (they count per worker, and shards have their own). */
function unnumbered(findings: BriefFinding[]): BriefFinding[] {
  return findings.map((finding) => ({ ...finding, object: finding.object.replace(/#\d+$/, '#n') }))
}

function passedAll(tests: Record<string, { state: string }>): void {
  expect(Object.entries(tests).filter(([, outcome]) => outcome.state !== 'passed')).toEqual([])
}

describe('shared-instance', () => {
  test('module scope (sequential, concurrent), a test’s instance kept for a later test, a cached factory, a direct call', async () => {
    const run = await runReported(leaks('shared'))
    passedAll(run.tests)
    expect(brief(run.report)).toEqual(SHARED)
    expect(run.report.summary).toEqual({
      files: 5,
      tests: 10,
      isolatedTests: 3,
      findings: 6,
      byKind: { 'shared-instance': 5, 'foreign-object': 0, retained: 1, 'global-mutation': 0 },
    })
    // The hint names the declaration to mark (by line: an unmarked file is not parsed, so its binding names are not known),
    // and where no top-level declaration of the test file made it, what to do instead.
    const hints = Object.fromEntries(run.report.findings.map((f) => [`${f.kind} ${f.object} ${f.origin.file}`, f.hint]))
    expect(hints['shared-instance Scheme#1 module-concurrent.test.ts']).toBe(
      'Give each test its own: mark the top-level declaration at module-concurrent.test.ts:6 with // @isolate, or use ctx.scheme.',
    )
    expect(hints['shared-instance Registry#1 direct-call.test.ts']).toBe(
      "Do not hand a test's instance to other tests through module-level variables or shared objects: use ctx.registry in each test.",
    )
  })
})

describe('foreign-object', () => {
  test('passed in as is and inside an array, returned by a shared instance, concurrent; a helper constant is none', async () => {
    const run = await runReported(leaks('foreign'))
    passedAll(run.tests)
    // The entry's `tags` array is one level inside what the registry returned: it is the test's too.
    expect(brief(run.report)).toEqual([
      {
        kind: 'foreign-object',
        concurrent: false,
        object: 'Array#1',
        origin: ARGUMENT_ORIGIN,
        observedIn: ['entries > registers the previous entry (argument.test.ts:18) via registry.register'],
      },
      {
        kind: 'foreign-object',
        concurrent: false,
        object: 'Object#1',
        origin: ARGUMENT_ORIGIN,
        observedIn: [
          'entries > registers the previous entry (argument.test.ts:18) via registry.register',
          'entries > registers a list holding it (argument.test.ts:23) via registry.register',
        ],
      },
      { kind: 'retained', object: 'Array#1', origin: ARGUMENT_ORIGIN, retainedBy: 'module binding `last` (argument.test.ts:7) → .tags' },
      { kind: 'retained', object: 'Object#1', origin: ARGUMENT_ORIGIN, retainedBy: 'module binding `last` (argument.test.ts:7)' },
      {
        kind: 'shared-instance',
        concurrent: false,
        resource: 'registry',
        object: 'Registry#4',
        origin: 'module scope (result.test.ts:5)',
        observedIn: [
          'stores its entry in the shared registry (result.test.ts:9) via registry.register',
          'reads it back (result.test.ts:13) via registry.lookup',
        ],
      },
      {
        kind: 'foreign-object',
        concurrent: false,
        object: 'Array#2',
        origin: RESULT_ORIGIN,
        observedIn: ['reads it back (result.test.ts:13) via registry.lookup'],
      },
      {
        kind: 'foreign-object',
        concurrent: false,
        object: 'Object#2',
        origin: RESULT_ORIGIN,
        observedIn: ['reads it back (result.test.ts:13) via registry.lookup'],
      },
      {
        kind: 'retained',
        object: 'Array#2',
        origin: RESULT_ORIGIN,
        retainedBy: 'module binding `shared` (result.test.ts:5) → #entries → Map value "entry" → .tags',
      },
      {
        kind: 'retained',
        object: 'Object#2',
        origin: RESULT_ORIGIN,
        retainedBy: 'module binding `shared` (result.test.ts:5) → #entries → Map value "entry"',
      },
      {
        kind: 'foreign-object',
        concurrent: true,
        object: 'Machine default/m-1',
        origin: 'two clients > lists a machine (concurrent.test.ts:12) via client.list',
        observedIn: ['two clients > creates the other test’s machine (concurrent.test.ts:20) via client.create'],
      },
    ])
  })
})

describe('retained', () => {
  test("retention 'file': array, Map, Set, closure, a helper module's cache, globalThis, a marked binding, a mock's calls", async () => {
    const run = await runReported(leaks('retained'))
    passedAll(run.tests)
    // Nothing from released.test.ts (holders emptied in afterEach, `let x` replaced in beforeEach) nor from
    // after-all.test.ts (its holder is emptied in afterAll, before the end-of-file check).
    expect(brief(run.report)).toEqual([...HOLDERS.slice(0, 6), HOLDERS[6], MOCK_CALLS, HOLDERS[7]])
  })

  test("retention 'test' also finds what only afterAll releases; 'off' finds nothing retained", async () => {
    const perTest = await runReported(leaks('retained'), { env: { E2E_ISOLATION_RETENTION: 'test' } })
    passedAll(perTest.tests)
    expect(brief(perTest.report)).toEqual([...HOLDERS.slice(0, 6), AFTER_ALL, HOLDERS[6], MOCK_CALLS, HOLDERS[7]])
    const off = await runReported(leaks('retained'), { env: { E2E_ISOLATION_RETENTION: 'off' } })
    expect(brief(off.report)).toEqual([HOLDERS[4]])
  })
})

describe('global-mutation', () => {
  test('globalThis and process.env added, changed, deleted; none when restored, stubbed with unstub*, concurrent or not isolated', async () => {
    const run = await runReported(leaks('globals'))
    passedAll(run.tests)
    const env = 'left changed > adds, changes and deletes environment variables (mutations.test.ts:22)'
    const globals = 'left changed > changes and deletes globals (mutations.test.ts:17)'
    expect(brief(run.report)).toEqual([
      { kind: 'global-mutation', object: 'globalThis.corpusAdded', origin: 'left changed > adds a global (mutations.test.ts:13)' },
      { kind: 'global-mutation', object: 'process.env.CORPUS_ADDED', origin: env },
      { kind: 'global-mutation', object: 'process.env.CORPUS_DOOMED', origin: env },
      { kind: 'global-mutation', object: 'process.env.CORPUS_EXISTING', origin: env },
      { kind: 'global-mutation', object: 'globalThis.corpusDoomed', origin: globals },
      { kind: 'global-mutation', object: 'globalThis.corpusMode', origin: globals },
    ])
    expect(run.report.findings.find((f) => f.object === 'globalThis.corpusDoomed')?.hint).toBe(
      'The test deleted globalThis.corpusDoomed and did not undo it: restore the original globalThis.corpusDoomed in afterEach, ' +
        'or use vi.stubGlobal with unstubGlobals: true.',
    )
  })
})

describe('across files (isolate: false, one worker)', () => {
  test("a helper module's instance shared by both files, and an entry handed from one file to the other", async () => {
    const run = await runReported(leaks('cross-file'), { env: { GITHUB_ACTIONS: 'true' } })
    passedAll(run.tests)
    expect(brief(run.report)).toEqual([
      {
        kind: 'foreign-object',
        concurrent: false,
        object: 'Array#1',
        origin: 'a hands an entry over (a.test.ts:10) via registry.entry',
        observedIn: ['b registers what a handed over (b.test.ts:11) via registry.register'],
      },
      {
        kind: 'foreign-object',
        concurrent: false,
        object: 'Object#1',
        origin: 'a hands an entry over (a.test.ts:10) via registry.entry',
        observedIn: ['b registers what a handed over (b.test.ts:11) via registry.register'],
      },
      {
        kind: 'shared-instance',
        concurrent: false,
        resource: 'registry',
        object: 'Registry#1',
        origin: 'module scope (../_shared/cache.ts:8)',
        observedIn: ['a uses the shared registry (a.test.ts:6) via registry.register', 'b uses the shared registry (b.test.ts:6) via registry.lookup'],
      },
    ])
    // GitHub Actions: one ::warning per observing test, after the console block.
    const annotations = githubAnnotations(run.report.findings, 'warning')
    expect(annotations).toHaveLength(4)
    for (const line of annotations) expect(run.output).toContain(`${line}\n`)
    expect(run.output).toContain('[vitest-isolation] 3 findings: 1 shared-instance, 2 foreign-object (4 tests in 2 files, 2 isolated tests)')
  })
})

describe("leaks: 'error' (VITEST_ISOLATION_LEAKS=error)", () => {
  test('the observing tests fail with the finding’s text; the origin test passes', async () => {
    const run = await runReported(leaks('shared'), { env: { VITEST_ISOLATION_LEAKS: 'error' } })
    expect(states(run)).toEqual({
      'cached-factory.test.ts > a cached resource > first': 'passed',
      'cached-factory.test.ts > a cached resource > second': 'failed',
      'direct-call.test.ts > makes and parks a registry': 'passed',
      'direct-call.test.ts > uses the parked registry': 'failed',
      'module-concurrent.test.ts > one scheme > lists the kinds': 'failed',
      'module-concurrent.test.ts > one scheme > asks for a kind': 'failed',
      'module-sequential.test.ts > first registers': 'passed',
      'module-sequential.test.ts > second reads what the first left': 'failed',
      'test-instance.test.ts > keeps its registry': 'passed',
      'test-instance.test.ts > uses the kept registry': 'failed',
    })
    expect(brief(run.report)).toEqual(SHARED)
    // The error is the finding as this test observed it.
    const finding = run.report.findings.find((f) => f.origin.file === 'module-sequential.test.ts') as Finding
    const observed = finding.observedIn.filter((place) => place.test === 'second reads what the first left')
    expect(run.tests['module-sequential.test.ts > second reads what the first left'].errors).toEqual([
      `[vitest-isolation] 1 isolation finding (leaks: 'error'):\n\n${formatFinding({ ...finding, observedIn: observed })}`,
    ])
    // A finding made after its test ended (the retained registry) fails the file.
    expect(run.errors['test-instance.test.ts']).toEqual([
      `[vitest-isolation] 1 isolation finding (leaks: 'error'):\n\n${formatFinding(run.report.findings.find((f) => f.kind === 'retained')!)}`,
    ])
  })

  test('the run exits non-zero (and 0 with warn)', async () => {
    const error = await runVitestCli(leaks('shared'), ['run', 'module-sequential'], { VITEST_ISOLATION_LEAKS: 'error' })
    // The plugin leaves `includeTaskLocation` as the config has it: with it on, Vitest 4 adds line:column, Vitest 5 a line.
    expect(error.output).toMatch(
      /FAIL {2}module-sequential\.test\.ts(?::12(?::1)?)? > second reads what the first left\nIsolationLeakError: \[vitest-isolation\] 1 isolation finding \(leaks: 'error'\):/,
    )
    expect(error.code).toBe(1)
    const warn = await runVitestCli(leaks('shared'), ['run', 'module-sequential'], { VITEST_ISOLATION_LEAKS: 'warn' })
    expect(warn.output).toContain('[vitest-isolation] 1 finding: 1 shared-instance (2 tests in 1 file)')
    expect(warn.code).toBe(0)
  })
})

test("leaks: 'off' (VITEST_ISOLATION_LEAKS=off) tracks nothing: the tests run as they are, nothing is reported", async () => {
  const run = await withEnv({ VITEST_ISOLATION_LEAKS: 'off' }, () => runProject(leaks('shared'), { files: ['module-sequential', 'test-instance'] }))
  passedAll(run.tests)
  expect(Object.keys(run.tests)).toHaveLength(4)
  expect(run.output).not.toContain('[vitest-isolation]')
})

describe('every pool', () => {
  test.for(['forks', 'threads', 'vmThreads'] as const)('%s: retention (forced GC) and a concurrent shared instance', async (pool) => {
    const retained = await runReported(leaks('retained'), { files: ['holders'], test: { pool } })
    expect(brief(retained.report)).toEqual(HOLDERS)
    const shared = await runReported(leaks('shared'), { files: ['module-concurrent'], test: { pool } })
    expect(brief(shared.report)).toEqual([SHARED[4]])
  })
})

describe('--shard runs with --reporter=blob, then --merge-reports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitest-isolation-shards-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const read = (name: string): IsolationReport => JSON.parse(readFileSync(join(dir, name), 'utf8')) as IsolationReport

  test('the plugin rebuilds the full report from the merged blobs; `vitest-isolation report` merges the shard reports', async () => {
    for (const shard of [1, 2]) {
      const run = await runVitestCli(leaks('shared'), ['run', `--shard=${shard}/2`, '--reporter=blob', `--outputFile=${join(dir, 'blobs', `${shard}.json`)}`], {
        E2E_ISOLATION_REPORT: join(dir, `shard-${shard}.json`),
      })
      expect(run.code).toBe(0)
    }
    const merged = await runVitestCli(leaks('shared'), [`--merge-reports=${join(dir, 'blobs')}`, '--reporter=dot'], {
      E2E_ISOLATION_REPORT: join(dir, 'merged.json'),
    })
    expect(merged.code).toBe(0)
    const shards = [read('shard-1.json'), read('shard-2.json')]
    // Each shard found only its own files' findings; together they are the whole run's.
    expect(shards.map((report) => report.summary.files)).toEqual([3, 2])
    const report = read('merged.json')
    expect(report.summary).toEqual({ ...mergeReports(shards).summary })
    expect(unnumbered(brief(report))).toEqual(unnumbered(SHARED))
    expect(brief(report)).toEqual(brief(mergeReports(shards)))
    expect(merged.output).toContain('[vitest-isolation] 6 findings: 5 shared-instance, 1 retained (10 tests in 5 files, 3 isolated tests)')

    const stdout: string[] = []
    const code = await main(['report', '--json', 'shard-1.json', 'shard-2.json'], { cwd: dir, stdout: (t) => stdout.push(t), stderr: () => undefined })
    expect(code).toBe(0)
    expect(brief(JSON.parse(stdout.join('\n')) as IsolationReport)).toEqual(brief(report))
  })
})

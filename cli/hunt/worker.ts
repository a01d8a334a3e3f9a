// The tinypool worker of `hunt`. Each worker keeps one Vitest instance (one Vite server, so transforms are cached across
// runs) configured like the failing run: `isolate: false`, one Vitest worker, no file parallelism, and the file order the
// main thread asks for. Results come from the modules the run reported, never from `process.exitCode`, which Vitest sets
// on the first failure and nothing resets between runs.
import path from 'node:path'
import { parseCLI } from 'vitest/node'
import type { TestCase, TestModule, Vitest } from 'vitest/node'

import { suspectsOf } from './meta.ts'
import { replayArgs } from './replay.ts'
import type { ReplayPlan } from './replay.ts'
import { OrderedSequencer, RunCollector, didNotPass, firstError, openVitest, setFileOrder, testsOf } from './session.ts'
import type {
  ListResult,
  ListTask,
  ReplayOutcome,
  ReplayTask,
  RunOutcome,
  RunTask,
  VictimRef,
  VitestTarget,
  WorkerTask,
} from './protocol.ts'

// Anything a test file or Vitest writes to this thread's stdout would land on the hunt's stdout, which `--json` owns.
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write

const collector = new RunCollector()
let session: { key: string; vitest: Vitest } | undefined

/** Runs one task of the hunt (tinypool's entry point). */
export default async function runTask(task: WorkerTask): Promise<ListResult | RunOutcome | ReplayOutcome> {
  switch (task.kind) {
    case 'list':
      return list(task)
    case 'run':
      return run(task)
    case 'replay':
      return replay(task)
  }
}

/** Closes the worker's Vitest instance (tinypool's teardown hook). */
export async function teardown(): Promise<void> {
  await session?.vitest.close()
  session = undefined
}

async function vitestFor(target: VitestTarget): Promise<Vitest> {
  const key = JSON.stringify(target)
  if (session?.key === key) return session.vitest
  await teardown()
  const vitest = await openVitest(
    {
      ...(target.root ? { root: target.root } : {}),
      ...(target.config ? { config: target.config } : {}),
      isolate: false,
      maxWorkers: 1,
      fileParallelism: false,
      // With a seed, tests inside each file are shuffled as `--sequence.shuffle` would; files follow the hunt's order.
      sequence: {
        sequencer: OrderedSequencer,
        shuffle: target.seed === null ? false : { files: false, tests: true },
        ...(target.seed === null ? {} : { seed: target.seed }),
      },
    },
    collector,
    target.plugin === true,
  )
  session = { key, vitest }
  return vitest
}

async function list(task: ListTask): Promise<ListResult> {
  const vitest = await vitestFor(task.target)
  const root = vitest.config.root
  const specs = (await vitest.globTestSpecifications()).filter((spec) => spec.pool !== 'typescript')
  const victim = specs.find((spec) => spec.moduleId === task.victimFile)
  if (!victim) return { ok: false, root, reason: 'not-a-test-file', include: vitest.config.include }
  const project = victim.project.name
  const files = [
    ...new Set(specs.filter((s) => s.project.name === project && s.moduleId !== victim.moduleId).map((s) => s.moduleId)),
  ]
  if (task.target.seed === null) {
    files.sort((a, b) => compare(path.relative(root, a), path.relative(root, b)))
    return { ok: true, root, project, files }
  }
  return { ok: true, root, project, files: await shuffledOrder(task.target, task.target.seed, files) }
}

/** The order `vitest --sequence.shuffle --sequence.seed=<seed>` gives the files, from Vitest's own RandomSequencer. */
async function shuffledOrder(target: VitestTarget, seed: number, files: string[]): Promise<string[]> {
  const vitest = await openVitest(
    {
      ...(target.root ? { root: target.root } : {}),
      ...(target.config ? { config: target.config } : {}),
      sequence: { shuffle: { files: true, tests: false }, seed },
    },
    new RunCollector(),
  )
  try {
    const Sequencer = vitest.config.sequence.sequencer
    const sorted = await new Sequencer(vitest).sort(await vitest.globTestSpecifications())
    const wanted = new Set(files)
    return [...new Set(sorted.map((spec) => spec.moduleId).filter((file) => wanted.has(file)))]
  } finally {
    await vitest.close()
  }
}

async function run(task: RunTask): Promise<RunOutcome> {
  const vitest = await vitestFor(task.target)
  const project = vitest.getProjectByName(task.project)
  setFileOrder(task.files.map((f) => f.file))
  const specs = task.files.map((f) =>
    project.createSpecification(f.file, {
      ...(f.testIds ? { testIds: f.testIds } : {}),
      ...(f.testNamePattern ? { testNamePattern: new RegExp(f.testNamePattern) } : {}),
    }),
  )
  await vitest.runTestSpecifications(specs)
  const outcome = victimOutcome(collector.modules, task.victim, vitest.config.root)
  if (task.collect) {
    for (const [file, module] of collector.modules) outcome.tests[file] = testsOf(module)
  }
  return outcome
}

function victimOutcome(modules: Map<string, TestModule>, victim: VictimRef, root: string): RunOutcome {
  const outcome: RunOutcome = {
    victimFailed: true,
    victimFound: true,
    victimTestId: null,
    victimError: null,
    tests: {},
    suspects: [],
  }
  const module = modules.get(victim.file)
  if (!module) {
    outcome.victimError = 'the victim file did not run'
    return outcome
  }
  const tests = [...module.children.allTests()]
  let test: TestCase | undefined
  if (victim.testId) test = tests.find((t) => t.id === victim.testId)
  else if (victim.fullName) test = tests.find((t) => t.fullName === victim.fullName)
  if ((victim.testId || victim.fullName) && !test) {
    // A file that failed to load has no tests: that is a failure of the victim, not a wrong name.
    outcome.victimFound = module.errors().length > 0
    outcome.victimError = firstError(module)
    return outcome
  }
  const entity = test ?? module
  outcome.victimTestId = test?.id ?? null
  outcome.victimFailed = didNotPass(entity)
  outcome.victimError = outcome.victimFailed ? (firstError(entity) ?? firstFailure(tests)) : null
  // The runtime writes the journal's causes on a failed test: the victim, or the failed tests of a victim file.
  const failed = test ? [test] : tests.filter((t) => didNotPass(t))
  outcome.suspects = suspectsOf([...failed.map((t) => t.meta()), ...(test ? [] : [module.meta()])], root)
  return outcome
}

function firstFailure(tests: TestCase[]): string | null {
  const failed = tests.find((t) => t.result().state === 'failed')
  return failed ? `${failed.fullName}: ${firstError(failed) ?? 'failed'}` : null
}

async function replay(task: ReplayTask): Promise<ReplayOutcome> {
  const order = await replaySeed(task.plan)
  if (!order.seedFound || !task.verify) return { ...order, ran: false, reproduced: false }
  // Exactly the printed `npx vitest run <args>`, minus reporters and the results cache.
  const { filter, options } = parseCLI(['vitest', 'run', ...replayArgs(task.plan, order.seed)])
  const replayCollector = new RunCollector()
  const vitest = await openVitest(options, replayCollector)
  try {
    await vitest.start(filter)
    const outcome = victimOutcome(replayCollector.modules, task.victim, vitest.config.root)
    return { ...order, ran: true, reproduced: outcome.victimFailed }
  } finally {
    await vitest.close()
  }
}

/**
 * The first seed under which Vitest's own RandomSequencer runs the plan's files in the plan's order (none is needed for
 * one file). Vitest matches file filters as substrings, so `tests/a.test.ts` also selects `x/tests/a.test.ts`: a seed
 * that puts such extra files after the victim is preferred.
 */
async function replaySeed(plan: ReplayPlan): Promise<Pick<ReplayOutcome, 'seed' | 'seedFound'>> {
  const { filter, options } = parseCLI(['vitest', 'run', ...replayArgs(plan, 1)])
  const vitest = await openVitest(options, new RunCollector())
  try {
    const specs = await vitest.globTestSpecifications(filter)
    const extra = specs.some((spec) => !plan.files.includes(spec.moduleId))
    if (!extra && plan.files.length === 1) return { seed: null, seedFound: true }
    const Sequencer = vitest.config.sequence.sequencer
    let inOrder: number | null = null
    for (let seed = 1; seed <= 20_000; seed++) {
      // RandomSequencer reads the seed from the config when it sorts, so one instance serves every candidate seed.
      vitest.config.sequence.seed = seed
      const sorted = (await new Sequencer(vitest).sort([...specs])).map((spec) => spec.moduleId)
      const positions = plan.files.map((file) => sorted.indexOf(file))
      if (!positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]))) continue
      if (positions[positions.length - 1] === sorted.length - 1) return { seed, seedFound: true }
      inOrder ??= seed
    }
    return { seed: inOrder, seedFound: inOrder !== null }
  } finally {
    await vitest.close()
  }
}

function compare(a: string, b: string): number {
  const x = a.split(path.sep).join('/')
  const y = b.split(path.sep).join('/')
  return x < y ? -1 : x > y ? 1 : 0
}

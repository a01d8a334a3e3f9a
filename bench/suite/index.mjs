// The suite benchmark: generates each configuration's project, then runs them INTERLEAVED — round-robin, one process
// per configuration per round (A B C … A B C …) — so that drift in the machine's speed (other load, thermal, caches)
// spreads over every configuration instead of biasing the one that ran last. Reported as medians of whole-process wall
// time with ratios to the `isolate: false` floor.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { CONFIGS, DEFAULT, FLOOR, JOURNAL_PAIRS } from './configs.mjs'
import { generateSuite } from './generate.mjs'
import { measureRun, median, resultFileFor } from './measure.mjs'

/**
 * Runs one suite size: `{ name, files, tests, reps, configs, warmup, keep, deadlineMs?, costS? }` (`configs`, `warmup`:
 * configuration ids). `paths` = `{ repo, plugin, vitest, tmp, node? }` (`node`: the binary that runs Vitest, by default
 * this one).
 * Returns the suite's result with every sample, so the JSON keeps what the medians came from.
 */
export function runSuite(suite, paths, log) {
  const dir = join(paths.tmp, `suite-${suite.files}x${suite.tests}`)
  const configs = CONFIGS.filter((c) => suite.configs.includes(c.id))
  const expected = suite.files * suite.tests
  const started = performance.now()
  for (const config of configs) {
    generateSuite({ dir: join(dir, config.id), config, files: suite.files, tests: suite.tests, plugin: paths.plugin, repo: paths.repo })
  }
  log(`suite ${suite.name}: generated ${configs.length} projects in ${dir}`)

  const run = (config) =>
    measureRun({ dir: join(dir, config.id), vitest: paths.vitest, node: paths.node, expected, resultFile: resultFileFor(dir, config.id) })

  // Unmeasured runs first (`warmup`: configuration ids): the first process after generation pays for cold file caches
  // of node_modules and the example controller, which every configuration shares.
  for (const config of configs.filter((c) => suite.warmup?.includes(c.id))) {
    const warm = run(config)
    log(`  warm-up ${config.id}: ${(warm.ms / 1000).toFixed(2)} s${warm.ok ? '' : ` — FAILED: ${warm.error}`}`)
  }

  const samples = new Map(configs.map((c) => [c.id, { ms: [], failures: [], byRound: [] }]))
  // With a deadline (`deadlineMs`, on performance.now()'s clock) and estimates (`costS` by id), a run that would end
  // past it is not started: the budget holds even when the estimates were short.
  const fits = (config) => !suite.deadlineMs || performance.now() + (suite.costS?.[config.id] ?? 0) * 1000 <= suite.deadlineMs
  const skipped = []
  for (let rep = 1; rep <= suite.reps; rep++) {
    const line = []
    for (const config of configs) {
      if (!fits(config)) {
        skipped.push(`${config.id} (round ${rep})`)
        line.push(`${config.id} not run (budget)`)
        continue
      }
      const result = run(config)
      const own = samples.get(config.id)
      if (result.ok) {
        own.ms.push(result.ms)
        own.byRound[rep - 1] = result.ms
      } else own.failures.push(result.error)
      line.push(`${config.id} ${(result.ms / 1000).toFixed(2)}s${result.ok ? '' : '(FAILED)'}`)
    }
    log(`  round ${rep}/${suite.reps}: ${line.join('  ')}`)
  }
  if (!suite.keep) rmSync(dir, { recursive: true, force: true })

  const medians = new Map([...samples].map(([id, s]) => [id, median(s.ms)]))
  const floor = medians.get(FLOOR)
  const byDefault = medians.get(DEFAULT)
  // The journal's share: journal on over off, from the medians and from the runs of the same round (paired: both ran
  // back to back, so a slow spell of the machine hits both).
  const journal = JOURNAL_PAIRS.filter((pair) => medians.get(pair.on) != null && medians.get(pair.off) != null).map((pair) => {
    const on = samples.get(pair.on).byRound
    const off = samples.get(pair.off).byRound
    const paired = on.flatMap((ms, i) => (ms !== undefined && off[i] !== undefined ? [round(ms / off[i], 2)] : []))
    return {
      name: pair.name,
      on: pair.on,
      off: pair.off,
      medianOnMs: Math.round(medians.get(pair.on)),
      medianOffMs: Math.round(medians.get(pair.off)),
      onOverOff: round(medians.get(pair.on) / medians.get(pair.off), 2),
      pairedOnOverOff: paired,
      medianPairedOnOverOff: paired.length ? round(median(paired), 2) : null,
    }
  })
  return {
    name: suite.name,
    files: suite.files,
    tests: suite.tests,
    reps: suite.reps,
    ...(skipped.length ? { notRun: skipped } : {}),
    seconds: Math.round((performance.now() - started) / 1000),
    configs: configs.map((config) => {
      const { ms, failures } = samples.get(config.id)
      const med = medians.get(config.id)
      return {
        id: config.id,
        label: config.label,
        samplesMs: ms.map((v) => Math.round(v)),
        medianMs: med === null ? null : Math.round(med),
        minMs: ms.length ? Math.round(Math.min(...ms)) : null,
        maxMs: ms.length ? Math.round(Math.max(...ms)) : null,
        ratioToFloor: med !== null && floor ? round(med / floor, 2) : null,
        fasterThanDefault: med !== null && byDefault ? round(byDefault / med, 1) : null,
        failures,
      }
    }),
    journal,
  }
}

function round(value, digits) {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

// How much of the large suite fits in what is left of the time budget. Each configuration's cost is estimated from its
// median on the smaller suite, scaled by (files ratio)^GROWTH: not linearly, because with `isolate: false` one worker
// keeps every file's modules, so per-file costs that depend on the heap (the plugin's forced GC per file) grow with the
// number of files already run (measured: 5× the files took 3.7× the time for the floor, 7.8× for the plugin with its
// default retention). Configurations are taken in priority order (the floor first: every ratio needs it), then as many
// interleaved rounds as fit, up to `maxReps`.

/** The exponent of the estimate's growth with the number of files (≥ the largest measured, so estimates err long). */
const GROWTH = 1.3

/** The large suite's configurations, most wanted first. */
export const LARGE_PRIORITY = ['floor', 'ctx', 'ctx-nojournal', 'bare-off', 'bare', 'nogc', 'extend', 'marked']

/**
 * Configurations whose cost grows faster than `GROWTH`, with their own exponent: with the journal on and nothing
 * declared, every checkpoint walks the top-level bindings of every test file loaded so far in the worker (the shared
 * Scheme and client of each file), so the run's cost grows with the square of the files (measured, instrumented, on
 * 120 files × 10 tests: 33 s of a 46 s run were those walks).
 */
const OWN_GROWTH = { bare: 2 }

/**
 * Plans the large suite from the small suite's result. Returns `{ configs, reps, estimateS }`, or `{ skip }` (why) when
 * not even the floor and one plugin configuration fit one round.
 */
export function planLarge(small, { files, remainingS, maxReps = 3 }) {
  const scale = (id) => (files / small.files) ** (OWN_GROWTH[id] ?? GROWTH)
  const cost = new Map(small.configs.filter((c) => c.medianMs !== null).map((c) => [c.id, (c.medianMs / 1000) * scale(c.id)]))
  const configs = []
  let round = 0
  for (const id of LARGE_PRIORITY) {
    const s = cost.get(id)
    if (s === undefined || round + s > remainingS) continue
    configs.push(id)
    round += s
  }
  if (!configs.includes('floor') || configs.length < 2) {
    const need = (cost.get('floor') ?? 0) + (cost.get('ctx') ?? 0)
    return { skip: `one round of the floor and a plugin configuration needs ~${need.toFixed(0)} s, ${remainingS.toFixed(0)} s of the budget are left (raise it with --budget)` }
  }
  const reps = Math.max(1, Math.min(maxReps, Math.floor(remainingS / round)))
  return { configs, reps, estimateS: Math.round(round * reps), costS: Object.fromEntries(configs.map((id) => [id, cost.get(id)])) }
}

// Writes the results of `npm run bench`: `results.json` (every sample) and `results.md` (the tables), both headed by
// the machine, the versions and the date they were measured on.

// The targets of the speed issue (× the floor, by configuration id) and of the state journal (its share: on over off).
const TARGETS = { 'bare-off': 1.05, 'ctx-nojournal': 1.2, marked: 1.25, ctx: 1.25 }
const JOURNAL_TARGET = 1.1

const seconds = (ms) => (ms === null ? '—' : (ms / 1000).toFixed(2))

function table(rows) {
  if (rows.length === 0) return ''
  const keys = Object.keys(rows[0])
  const line = (cells) => `| ${cells.join(' | ')} |`
  return [line(keys), line(keys.map(() => '---')), ...rows.map((row) => line(keys.map((k) => String(row[k] ?? ''))))].join('\n')
}

function suiteSection(suite) {
  if (suite.skipped) return `### ${suite.name}\n\nSkipped: ${suite.skipped}.\n`
  const rows = suite.configs.map((c) => ({
    configuration: c.id === 'floor' ? `**${c.label}**` : c.label,
    'median s': seconds(c.medianMs),
    'min–max s': c.minMs === null ? '—' : `${seconds(c.minMs)}–${seconds(c.maxMs)}`,
    '× floor': c.ratioToFloor ?? '—',
    '× faster than default': c.fasterThanDefault ?? '—',
    runs: c.samplesMs.length + (c.failures.length ? ` (${c.failures.length} failed)` : ''),
  }))
  const met = (ratio, of, target) => `${ratio}× ${of} (target ≤ ${target}: ${ratio <= target ? 'met' : 'not met'})`
  const notes = [
    ...suite.configs.filter((c) => TARGETS[c.id] !== undefined && c.ratioToFloor !== null).map((c) => `- ${c.label}: ${met(c.ratioToFloor, 'the floor', TARGETS[c.id])}`),
    ...(suite.journal ?? []).map((j) => `- the journal's share, ${j.name}: ${met(j.onOverOff, 'on/off from the medians', JOURNAL_TARGET)}; per round ${j.pairedOnOverOff.join(', ')}`),
  ]
  const failures = suite.configs.flatMap((c) => c.failures.map((f) => `- ${c.id} run failed: ${f}`))
  const notRun = suite.notRun ? [`Not run, the time budget would not have held: ${suite.notRun.join(', ')}.`, ''] : []
  return [
    `### ${suite.name}`,
    '',
    `Medians of ${suite.reps} interleaved whole-process run${suite.reps === 1 ? '' : 's'} per configuration ` +
      `(\`vitest run\`, one process each; ${suite.files * suite.tests} tests).` +
      (suite.note ? ` ${suite.note}` : ''),
    '',
    table(rows),
    '',
    ...(notes.length ? ['Targets (reported, not asserted):', ...notes, ''] : []),
    ...(failures.length ? ['Failed runs (not counted):', ...failures, ''] : []),
    ...notRun,
  ].join('\n')
}

function siblingSection(sibling) {
  const head = `### ${sibling.name}\n\n\`${sibling.command}\`${sibling.seconds === undefined ? '' : ` (${sibling.seconds} s)`}\n`
  if (sibling.status !== 'ok') return `${head}\nSkipped: ${sibling.note}\n`
  if (sibling.rows) return `${head}\n${table(sibling.rows)}\n`
  return `${head}\n\`\`\`\n${sibling.text}\n\`\`\`\n`
}

/** The Markdown page of `results`. */
export function toMarkdown(results) {
  const { machine, versions } = results
  return [
    '# Benchmarks',
    '',
    `Measured ${results.date} by \`npm run bench${results.quick ? ' -- --quick' : ''}\` on ${machine.cpu}, ${machine.cores} cores, ` +
      `${machine.memoryGiB} GiB memory (${machine.os}); Node ${versions.node}, Vitest ${versions.vitest}, Vite ${versions.vite}, ` +
      `vitest-isolation ${versions.plugin}. Total time ${results.seconds} s (budget ${results.budgetS} s).`,
    '',
    '## Suite: whole-process wall time',
    '',
    'Generated suites: every test creates a MachineSet, Machines and a provider object through the example fake client, ' +
      `over a Scheme with ${results.schemeKinds} registered kinds, and lists, patches and deletes them. Default, threads and ` +
      'the floor share one module-level Scheme and client among the tests of a file (default and threads give each file ' +
      'fresh modules; the floor does not, so it is unsafe); `test.extend` and the plugin give each test its own.',
    '',
    ...results.suites.map(suiteSection),
    '## Other benchmarks',
    '',
    ...results.siblings.map(siblingSection),
  ].join('\n')
}

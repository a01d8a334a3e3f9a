// Writes the results of `npm run bench`: `results.json` (every sample) and `results.md` (the tables), both headed by
// the machine, the versions and the date they were measured on.

const TARGETS = { pluginOverFloor: 1.15, fasterThanDefault: 8 }

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
  const plugin = suite.configs.filter((c) => ['marked', 'ctx', 'retention', 'nogc'].includes(c.id) && c.medianMs !== null)
  const notes = plugin.map((c) => {
    const overFloor = c.ratioToFloor === null ? '' : `${c.ratioToFloor}× floor (target ≤ ${TARGETS.pluginOverFloor}: ${c.ratioToFloor <= TARGETS.pluginOverFloor ? 'met' : 'not met'})`
    const faster = c.fasterThanDefault === null ? '' : `, ${c.fasterThanDefault}× faster than default (target ≥ ${TARGETS.fasterThanDefault}: ${c.fasterThanDefault >= TARGETS.fasterThanDefault ? 'met' : 'not met'})`
    return `- ${c.label}: ${overFloor}${faster}`
  })
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

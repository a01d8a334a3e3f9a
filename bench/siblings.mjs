// Gathers the other benchmarks of the repository (transform, per-access, ledger, hunt) into the same results, each run by
// the command its own file documents. A benchmark that is missing, fails or times out is skipped with a note: the suite
// benchmark's results must never be lost to a sibling.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

const ANSI = new RegExp(String.raw`\u001b\[[0-9;]*m`, 'g')

/** Lines of `text` from the first line matching `start` up to (not including) the next blank line. */
function block(text, start) {
  const lines = text.split('\n')
  const from = lines.findIndex((line) => start.test(line))
  if (from < 0) return null
  const to = lines.findIndex((line, i) => i > from && line.trim() === '')
  return lines.slice(from, to < 0 ? undefined : to).join('\n')
}

/** The known sibling benchmarks: where they live, their documented command, and how to read their figures. */
export const SIBLINGS = [
  {
    name: 'transform',
    file: 'bench/transform.bench.ts',
    output: 'bench/results/tmp/transform.json',
    command: ['npx', 'vitest', 'bench', '--run', '--project', 'unit', 'bench/transform.bench.ts', '--outputJson', 'bench/results/tmp/transform.json'],
    read(repo) {
      const json = JSON.parse(readFileSync(join(repo, this.output), 'utf8'))
      const rows = []
      for (const file of json.files) {
        for (const group of file.groups) {
          for (const b of group.benchmarks) rows.push({ benchmark: b.name, 'median ms': Number(b.median.toFixed(4)) })
        }
      }
      return { rows }
    },
  },
  {
    name: 'per-access',
    file: 'bench/access/vitest.config.ts',
    output: 'bench/results/tmp/access.json',
    command: ['npx', 'vitest', 'run', '--config', 'bench/access/vitest.config.ts'],
    read(repo) {
      const json = JSON.parse(readFileSync(join(repo, this.output), 'utf8'))
      const rows = Object.entries(json.medianNsPerRead).map(([read, ns]) => ({
        read,
        'median ns/read': Number(ns.toFixed(2)),
        'over plain ns': json.overNsPerRead?.[read] === undefined ? '' : Number(json.overNsPerRead[read].toFixed(2)),
      }))
      return { rows, raw: json }
    },
  },
  {
    name: 'ledger',
    file: 'bench/ledger.bench.ts',
    command: ['npx', 'vitest', 'bench', '--run', '--project', 'unit', 'bench/ledger.bench.ts'],
    read(_repo, stdout) {
      const text = block(stdout, /^ledger bench/)
      if (!text) throw new Error('its output has no "ledger bench" block')
      return { text }
    },
  },
  {
    name: 'hunt',
    file: 'bench/hunt.bench.mjs',
    // It runs the built CLI (dist/cli), which run.mjs builds first.
    command: ['node', 'bench/hunt.bench.mjs'],
    read(_repo, stdout) {
      const text = block(stdout, /^node v/) ?? stdout.trim()
      if (!text) throw new Error('it printed nothing')
      return { text }
    },
  },
]

/** Runs every sibling benchmark; returns one entry each: `{ name, command, status: 'ok' | 'skipped', note?, ... }`. */
export function runSiblings(repo, log, { timeoutMs = 300_000 } = {}) {
  const results = []
  for (const sibling of SIBLINGS) {
    const command = sibling.command.join(' ')
    if (!existsSync(join(repo, sibling.file))) {
      results.push({ name: sibling.name, command, status: 'skipped', note: `${sibling.file} does not exist (yet)` })
      log(`  ${sibling.name}: skipped (${sibling.file} missing)`)
      continue
    }
    // A stale output from an earlier run must not pass for this run's figures.
    if (sibling.output) rmSync(join(repo, sibling.output), { force: true })
    const started = performance.now()
    const child = spawnSync(sibling.command[0], sibling.command.slice(1), {
      cwd: repo,
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    })
    const seconds = Number(((performance.now() - started) / 1000).toFixed(1))
    const stdout = (child.stdout ?? '').replace(ANSI, '')
    let entry
    if (child.error || child.status !== 0) {
      const why = child.error?.code === 'ETIMEDOUT' ? `timed out after ${timeoutMs / 1000} s` : `exit ${child.status}`
      const tail = `${child.stderr ?? ''}\n${stdout}`.replace(ANSI, '').trim().split('\n').slice(-3).join(' | ')
      entry = { name: sibling.name, command, status: 'skipped', seconds, note: `failed (${why}): ${tail}` }
    } else {
      try {
        entry = { name: sibling.name, command, status: 'ok', seconds, ...sibling.read(repo, stdout) }
      } catch (error) {
        entry = { name: sibling.name, command, status: 'skipped', seconds, note: `ran, but its figures could not be read: ${error.message}` }
      }
    }
    log(`  ${sibling.name}: ${entry.status} in ${seconds} s${entry.note ? ` — ${entry.note}` : ''}`)
    results.push(entry)
  }
  return results
}

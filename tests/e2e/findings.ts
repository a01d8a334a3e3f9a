/**
 * Running fixture projects for their findings: the JSON report the plugin writes (into a temp file, named to the
 * fixture's config through `E2E_ISOLATION_REPORT`), findings in a compact, exact form to compare with `toEqual`, and the
 * Vitest CLI for what only a process shows (exit codes, `--shard` + `--merge-reports`).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Finding, IsolationReport, Place } from '../../runtime/report/index.ts'
import { runProject, type RunOptions, type RunResult } from './helpers.ts'

/** A run and the JSON report it wrote. */
export interface ReportedRun extends RunResult {
  report: IsolationReport
}

/** Sets `env` while `fn` runs (the plugin reads its options from the fixture config, loaded in this process). */
export async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]))
  Object.assign(process.env, env)
  try {
    return await fn()
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
}

/** Runs the project in `root` with the JSON report switched on; `env` is set during the run. */
export async function runReported(root: string, options: RunOptions & { env?: Record<string, string> } = {}): Promise<ReportedRun> {
  const dir = mkdtempSync(join(tmpdir(), 'vitest-isolation-report-'))
  const file = join(dir, 'report.json')
  try {
    const result = await withEnv({ ...options.env, E2E_ISOLATION_REPORT: file }, () => runProject(root, options))
    return { ...result, report: JSON.parse(readFileSync(file, 'utf8')) as IsolationReport }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function place(p: Place): string {
  const where = `${p.file}${p.line === undefined ? '' : `:${p.line}`}`
  return `${p.test === null ? 'module scope' : p.test} (${where})${p.operation ? ` via ${p.operation}` : ''}`
}

/** A finding as one comparable object: kind, concurrent, resource, object, origin, observers and what retains it. */
export interface BriefFinding {
  kind: Finding['kind']
  concurrent?: boolean
  resource?: string
  object: string
  origin: string
  observedIn?: string[]
  retainedBy?: string | null
}

/** The findings of a report, each in brief, in a stable order (by origin, then kind and object). */
export function brief(report: IsolationReport): BriefFinding[] {
  const list = report.findings.map((finding): BriefFinding => {
    const out: BriefFinding = { kind: finding.kind, object: finding.object, origin: place(finding.origin) }
    if (finding.concurrent !== undefined) out.concurrent = finding.concurrent
    if (finding.resource !== undefined) out.resource = finding.resource
    if (finding.observedIn.length > 0) out.observedIn = finding.observedIn.map(place)
    if (finding.retainedBy !== undefined) out.retainedBy = finding.retainedBy
    return out
  })
  const key = (f: BriefFinding): string => `${f.origin}\u0000${f.kind}\u0000${f.object}`
  return list.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0))
}

/** What a process printed and how it exited. */
export interface ProcessResult {
  code: number | null
  output: string
}

// The bin next to Vitest's package.json (the bin file itself is not in its exports map).
const vitestBin = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs')

/** Runs the Vitest CLI in `cwd` (no results cache: the fixture is not written to). */
export function runVitestCli(cwd: string, args: string[], env: Record<string, string> = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vitestBin, ...args, '--no-cache'], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', CI: '1', ...env },
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })
}

import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { Reporter, TestModule, TestSpecification, Vitest } from 'vitest/node'
import { buildReport, formatJournal, formatReport, githubAnnotations } from '../runtime/report/index.ts'
import type { Finding, IsolationMeta, IsolationReport, Place, StateChange } from '../runtime/report/index.ts'
import { runOrder, TransformWarmup } from './warmup.ts'

/** What the reporter needs from the resolved plugin options. */
export interface ReporterOptions {
  /** Path of the JSON report, relative to Vitest's root; `false` for none. */
  report: string | false
  /** `'error'` turns GitHub annotations into `::error`. */
  leaks: 'warn' | 'error' | 'off'
  /** This package's version, for the JSON report. */
  version: string
  /** `'verbose'` prints the changes no failure followed; `'off'`: the journal recorded nothing. */
  journal: 'on' | 'verbose' | 'off'
  /**
   * The projects that use the plugin (filled in as each project is configured); the report counts only their files.
   * Absent: every project.
   */
  projects?: ReadonlySet<string>
}

function metaOf(task: { meta(): object }): IsolationMeta | undefined {
  return (task.meta() as { isolation?: IsolationMeta }).isolation
}

/**
 * Collects the findings the runtime left in `task.meta.isolation` of every test and module into one report.
 * It reads only reported task meta, so a run rebuilt by `--merge-reports` from `--shard` blobs gives the same report.
 */
export function collectReport(modules: ReadonlyArray<TestModule>, options: { version: string; vitest: string }): IsolationReport {
  const findings: Finding[] = []
  const failures: { test: Place; causes: StateChange[] }[] = []
  const changes: StateChange[] = []
  let tests = 0
  let isolatedTests = 0
  for (const module of modules) {
    findings.push(...(metaOf(module)?.findings ?? []))
    changes.push(...(metaOf(module)?.changes ?? []))
    for (const test of module.children.allTests()) {
      tests++
      const meta = metaOf(test)
      if (meta?.isolated) isolatedTests++
      findings.push(...(meta?.findings ?? []))
      if (meta?.causes !== undefined && test.result().state === 'failed') {
        const place: Place = { file: module.relativeModuleId, test: test.fullName }
        const line = meta.line ?? test.location?.line
        if (line !== undefined) place.line = line
        failures.push({ test: place, causes: meta.causes })
      }
    }
  }
  return buildReport(findings, { files: modules.length, tests, isolatedTests }, options, { failures, changes })
}

/** The Vitest reporter the plugin adds: prints the findings after the run, writes the JSON report, annotates on GitHub. */
export class IsolationReporter implements Reporter {
  private vitest: Vitest | undefined
  private readonly warmup = new TransformWarmup()
  constructor(private readonly options: ReporterOptions) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest
  }

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    const vitest = this.vitest
    this.warmup.start(specifications, this.options.projects, vitest && ((specs) => runOrder(vitest, specs)))
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    this.warmup.stop()
    const vitest = this.vitest
    if (!vitest || (this.options.leaks === 'off' && this.options.journal === 'off')) return
    const projects = this.options.projects
    const own = projects === undefined ? modules : modules.filter((module) => projects.has(module.project.name))
    const report = collectReport(own, { version: this.options.version, vitest: vitest.version })
    const { logger } = vitest
    const journal = formatJournal(report, this.options.journal === 'verbose')
    if (journal !== '') logger.log(`\n${journal}`)
    if (this.options.leaks !== 'off') logger.log(`\n${formatReport(report)}\n`)
    if (this.options.report !== false) {
      const path = resolve(vitest.config.root, this.options.report)
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`)
      logger.log(`[vitest-isolation] JSON report written to ${this.options.report}`)
    }
    if (process.env.GITHUB_ACTIONS === 'true') {
      for (const line of githubAnnotations(report.findings, this.options.leaks === 'error' ? 'error' : 'warning')) logger.log(line)
    }
  }
}

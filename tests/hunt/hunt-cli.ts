// What the hunt's end-to-end scenarios share: the built CLI (built once by the e2e project's global setup, else here), the
// generated suites (removed at the end), and one hunt run with `--json`.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, inject } from 'vitest'

import { generateSuite } from './generate.ts'
import type { Suite, SuiteSpec } from './generate.ts'
import { buildCli } from './global-setup.ts'
import type { HuntJson } from '../../cli/hunt/report.ts'
import { runCli } from '../e2e/run-cli.ts'

export type { HuntJson }

const suites: Suite[] = []
let bin = ''

/** Registers the hooks that build the CLI (unless the global setup did) and remove the generated suites. */
export function useHuntCli(): void {
  let removeBuild = (): void => {}
  beforeAll(() => {
    bin = inject('huntCliBin') ?? ''
    if (bin) return
    const build = buildCli()
    bin = build.bin
    removeBuild = build.remove
  }, 120_000)
  afterAll(() => {
    for (const suite of suites.splice(0)) suite.remove()
    removeBuild()
  })
}

/** The built bin (once the hooks ran). */
export function cliBin(): string {
  return bin
}

/** A generated suite, removed after the tests. */
export function suite(spec: SuiteSpec): Suite {
  const created = generateSuite(spec)
  suites.push(created)
  return created
}

/** `vitest-isolation hunt <args> --json` in `root`. */
export async function huntJson(
  root: string,
  ...args: string[]
): Promise<{ code: number | null; json: HuntJson; stderr: string; ms: number }> {
  const started = performance.now()
  const result = await runCli(bin, ['hunt', ...args, '--json'], root)
  const ms = performance.now() - started
  return { code: result.code, json: JSON.parse(result.stdout) as HuntJson, stderr: result.stderr, ms }
}

/** Processes still running in `root` (Linux: their cwd), e.g. Vitest workers a stopped hunt left behind; [] elsewhere. */
export function processesIn(root: string): string[] {
  if (!fs.existsSync('/proc/self/cwd')) return []
  const real = fs.realpathSync(root)
  return fs.readdirSync('/proc').filter((pid) => {
    if (!/^\d+$/.test(pid)) return false
    try {
      const cwd = fs.readlinkSync(path.join('/proc', pid, 'cwd'))
      return cwd === real || cwd.startsWith(`${real}/`)
    } catch {
      return false // gone, or not ours to read
    }
  })
}

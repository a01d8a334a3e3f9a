// Builds the CLI once before the hunt's end-to-end tests: they run `node dist/cli/index.js`, as users run the bin, and the
// tinypool worker must be plain JS (dist/cli/hunt/worker.js).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'

/** The repository root. */
export const repo = fileURLToPath(new URL('../..', import.meta.url))

/** The built bin the end-to-end tests spawn. */
export const cliBin = path.join(repo, 'dist/cli/index.js')

declare module 'vitest' {
  export interface ProvidedContext {
    huntCliBuilt: boolean
  }
}

/** Vitest global setup: builds dist/ and tells the tests it did. */
export default function setup(project: TestProject): void {
  buildCli()
  project.provide('huntCliBuilt', true)
}

/** Builds the package with tsconfig.build.json; if other folders do not compile yet, builds only cli/. */
export function buildCli(): void {
  const tsc = path.join(repo, 'node_modules/typescript/bin/tsc')
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(repo, 'tsconfig.build.json')], { cwd: repo, stdio: 'pipe' })
    return
  } catch {
    // Work in progress elsewhere in the tree must not block the CLI's tests: cli/ imports nothing from it.
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vi-hunt-build-'))
  const tsconfig = path.join(dir, 'tsconfig.json')
  fs.writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: path.join(repo, 'tsconfig.build.json'),
      compilerOptions: { rootDir: repo, outDir: path.join(repo, 'dist') },
      include: [path.join(repo, 'cli')],
      exclude: [],
    }),
  )
  try {
    execFileSync(process.execPath, [tsc, '-p', tsconfig], { cwd: repo, stdio: 'pipe' })
  } catch (error) {
    const output = String((error as { stdout?: Buffer }).stdout ?? error)
    throw new Error(`[vitest-isolation] building cli/ failed:\n${output}`)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

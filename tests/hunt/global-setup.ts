// Builds the CLI once before the hunt's end-to-end tests: they run the built bin as users do, and the tinypool worker
// must be plain JS (cli/hunt/worker.js next to cli/hunt/pool.js).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'

/** The repository root. */
export const repo = fileURLToPath(new URL('../..', import.meta.url))

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built bin, when the global setup built it. */
    huntCliBin: string
  }
}

/** Vitest global setup: builds the CLI, hands its path to the tests, removes it at the end. */
export default function setup(project: TestProject): () => void {
  const build = buildCli()
  project.provide('huntCliBin', build.bin)
  return build.remove
}

/** A private build of the CLI. */
export interface CliBuild {
  /** `…/cli/index.js`, dist/'s layout. */
  bin: string
  remove: () => void
}

/**
 * Builds cli/, plugin/ and runtime/ with tsconfig.build.json's options into a folder of its own. Not into dist/: an
 * `npm run build` elsewhere in the tree starts with `rm -rf dist`, and two test runs at once would rewrite each other's
 * files. The folder is inside the repository so that `vitest` and `tinypool` resolve from its
 * node_modules, as they would from an install, and `types: ["node"]` resolves for the tsconfig written next to it.
 */
export function buildCli(): CliBuild {
  const cache = path.join(repo, 'node_modules/.cache/vitest-isolation-hunt')
  fs.mkdirSync(cache, { recursive: true })
  const dir = fs.mkdtempSync(path.join(cache, 'build-'))
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true })
  const tsconfig = path.join(dir, 'tsconfig.json')
  fs.writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: path.join(repo, 'tsconfig.build.json'),
      compilerOptions: { rootDir: repo, outDir: path.join(dir, 'dist'), declaration: false },
      // `migrate` adds the plugin to a config without it: the plugin and its runtime are built too.
      include: [path.join(repo, 'cli'), path.join(repo, 'plugin'), path.join(repo, 'runtime')],
      exclude: [],
    }),
  )
  try {
    const tsc = path.join(repo, 'node_modules/typescript/bin/tsc')
    execFileSync(process.execPath, [tsc, '-p', tsconfig], { cwd: repo, stdio: 'pipe' })
  } catch (error) {
    remove()
    const output = String((error as { stdout?: Buffer }).stdout ?? error)
    throw new Error(`[vitest-isolation] building cli/ failed:\n${output}`)
  }
  return { bin: path.join(dir, 'dist/cli/index.js'), remove }
}

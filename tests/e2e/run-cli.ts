// Spawns the built `vitest-isolation` bin the way a user runs it, for the end-to-end tests of hunt and migrate.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'

/** What one CLI invocation printed and returned. */
export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `node <bin> <args>` in `cwd`, `bin` being a built `cli/index.js`. */
export function runCli(bin: string, args: string[], cwd: string): Promise<CliResult> {
  return outcome(spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } }))
}

/** Runs a shell command (a printed replay) in `cwd`. */
export function runShell(command: string, cwd: string): Promise<CliResult> {
  return outcome(spawn('sh', ['-c', command], { cwd, env: { ...process.env, NO_COLOR: '1', CI: '1' } }))
}

/** What `child` prints until it closes, and its exit code. */
function outcome(child: ChildProcessWithoutNullStreams): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

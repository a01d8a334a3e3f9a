/**
 * The call site of an observation: the innermost stack frame in the observing test's file. Only taken when a finding is
 * made (capturing a stack costs microseconds; the tracked-call path must not pay it).
 */
import { fileURLToPath } from 'node:url'
import type { CallSite } from './types.ts'

/**
 * A line of a V8 stack: its file, line and column. `    at fn (/abs/tests/a.test.ts:12:5)`, `    at /abs/a.test.ts:12:5`,
 * `    at async fn (file:///abs/a.test.ts:12:5)`.
 */
export const STACK_FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/

/** A stack frame's file as a path: a `file://` URL converted, anything else (or an invalid URL) as written. */
export function framePath(raw: string): string {
  if (!raw.startsWith('file://')) return raw
  try {
    return fileURLToPath(raw)
  } catch {
    return raw
  }
}

/** The innermost frame of `stack` whose path is `file` or ends with `/<file>`; `undefined` when none is. */
export function callSiteIn(stack: string, file: string): CallSite | undefined {
  const wanted = file.replaceAll('\\', '/')
  for (const line of stack.split('\n')) {
    const match = STACK_FRAME.exec(line)
    if (match === null) continue
    const path = framePath(match[1]).replaceAll('\\', '/')
    if (path === wanted || path.endsWith(`/${wanted}`)) return { line: Number(match[2]), column: Number(match[3]) }
  }
  return undefined
}

/** The call site in `file` of the code running now, read from a fresh stack (which Vitest source-maps). */
export function stackCallSite(file: string): CallSite | undefined {
  const limit = Error.stackTraceLimit
  // The ledger's own frames come first; leave room for them and for the test's.
  Error.stackTraceLimit = 64
  try {
    return callSiteIn(new Error().stack ?? '', file)
  } finally {
    Error.stackTraceLimit = limit
  }
}

/**
 * The call site of an observation: the innermost stack frame in the observing test's file. Only taken when a finding is
 * made (capturing a stack costs microseconds; the tracked-call path must not pay it).
 */
import { fileURLToPath } from 'node:url'
import type { CallSite } from './types.ts'

// `    at fn (/abs/tests/a.test.ts:12:5)`, `    at /abs/tests/a.test.ts:12:5`, `    at file:///abs/a.test.ts:12:5`.
const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/

function framePath(raw: string): string {
  let path = raw
  if (path.startsWith('file://')) {
    try {
      path = fileURLToPath(path)
    } catch {
      // Not a valid file URL: compare it as written.
    }
  }
  return path.replaceAll('\\', '/')
}

/** The innermost frame of `stack` whose path is `file` or ends with `/<file>`; `undefined` when none is. */
export function callSiteIn(stack: string, file: string): CallSite | undefined {
  const wanted = file.replaceAll('\\', '/')
  for (const line of stack.split('\n')) {
    const match = FRAME.exec(line)
    if (match === null) continue
    const path = framePath(match[1])
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

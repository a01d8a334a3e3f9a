/**
 * Keeping the runtime's wrappers out of sight in stacks. A library that trims its error with
 * `Error.captureStackTrace(err, fn)` drops every frame above `fn`; when `fn` is the original method and our wrapper called
 * it, the wrapper's frames would become the first ones the user (or the library) sees. They are taken off the top of
 * such an error's stack, so its first frame is the same with and without the plugin.
 */
import { fileURLToPath } from 'node:url'
import { framePath, STACK_FRAME } from './callsite.ts'

// The runtime's folder (this file is in runtime/ledger/): every wrapper frame is in it.
const RUNTIME_DIR = fileURLToPath(new URL('..', import.meta.url)).replaceAll('\\', '/')

function isOurs(line: string): boolean {
  const match = STACK_FRAME.exec(line)
  return match !== null && framePath(match[1]).replaceAll('\\', '/').startsWith(RUNTIME_DIR)
}

/**
 * Removes the runtime's frames from the top of `error`'s stack (only from the top: a frame of ours below the user's is
 * where the call really went). Errors of another realm (the vm pools) count too; anything without an own string `stack`
 * is left alone.
 */
export function hideTopFrames(error: unknown): void {
  if (typeof error !== 'object' || error === null || !Object.hasOwn(error, 'stack')) return
  const stack = (error as { stack?: unknown }).stack
  if (typeof stack !== 'string') return
  const lines = stack.split('\n')
  const first = lines.findIndex((line) => STACK_FRAME.test(line))
  if (first === -1) return
  let end = first
  while (end < lines.length && isOurs(lines[end])) end++
  if (end === first) return
  lines.splice(first, end - first)
  try {
    ;(error as { stack: string }).stack = lines.join('\n')
  } catch {
    // A frozen error or a read-only stack: it keeps the frames.
  }
}

/** Calls `fn(self, args)`; an error it throws leaves without the runtime's frames on top. */
export function hideOwnFrames<R>(fn: (self: unknown, args: unknown[]) => R, self: unknown, args: unknown[]): R {
  try {
    return fn(self, args)
  } catch (error) {
    hideTopFrames(error)
    throw error
  }
}

// Bad arguments end the command with one line on stderr and exit code 2; these helpers keep that line short and uniform.
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import type { ParseArgsConfig } from 'node:util'

/** A bad argument: reported as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** Formats the one stderr line of a usage error, with a pointer to the command's help. */
export function usageLine(command: string | null, message: string): string {
  const where = command ? `${command}: ` : ''
  const help = command ? `vitest-isolation ${command} --help` : 'vitest-isolation --help'
  return `[vitest-isolation] ${where}${message} (see '${help}')`
}

/** `parseArgs` in strict mode, with its multi-line errors turned into one short {@link UsageError}. */
export function parseStrict<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T & { strict: true }>> {
  try {
    return parseArgs({ ...config, strict: true })
  } catch (error) {
    throw new UsageError(shortParseError(error))
  }
}

function shortParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string }
  const text = String(message ?? error)
  // Node names the option as '--root <value>' or '-c, --config <value>': keep the long form.
  const option = /'(?:-\w, )?(--?[^' ]+)/.exec(text)?.[1]
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${option ?? text}'`
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return text.includes('argument missing') ? `option '${option}' needs a value` : `option '${option}' takes no value`
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']*)'/.exec(text)?.[0] ?? text}`
    default:
      return text.split('\n')[0]
  }
}

/** `target`, checked to be an existing file or directory; `option` names it in the error. */
export function existing(target: string, kind: 'file' | 'directory', option: string): string {
  if (!fs.existsSync(target)) throw new UsageError(`${option}: ${kind} not found: ${target}`)
  const isDirectory = fs.statSync(target).isDirectory()
  if (kind === 'directory' ? !isDirectory : isDirectory) throw new UsageError(`${option}: not a ${kind}: ${target}`)
  return target
}

/** A number of seconds > 0 given to `option`. */
export function seconds(text: string, option: string): number {
  const value = Number(text)
  if (!/^\d+(?:\.\d+)?$/.test(text) || !(value > 0) || !Number.isFinite(value)) {
    throw new UsageError(`${option} expects a number of seconds > 0, got '${text}'`)
  }
  return value
}

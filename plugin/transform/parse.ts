/**
 * Parsing with oxc-parser, which reads TypeScript, TSX, JS and JSX the same way on every Vite version the plugin
 * supports (Vite 6 and 7's own parser cannot read TypeScript).
 */
import { parseSync, rawTransferSupported } from 'oxc-parser'
import type { Comment, OxcError, ParserOptions } from 'oxc-parser'
import { codeFrame } from './frame.ts'
import { TransformSyntaxError } from './errors.ts'
import { LineIndex } from './lines.ts'
import type { AnyNode } from './types.ts'

/** The parts of a parse the transform reads. */
export interface Parsed {
  program: AnyNode
  comments: Comment[]
}

// On Node >= 22 oxc-parser can hand the AST over in a buffer it shares with JS instead of as JSON: the same AST, about
// six times faster to read (on Node 20, reading the JSON is most of a parse). The option is experimental and not in
// oxc-parser's types; the version is pinned, and the transform's tests run on both Node 20 and Node 24.
const rawTransfer = rawTransferSupported()

function parse(path: string, code: string, lang: 'js' | 'jsx' | 'ts' | 'tsx') {
  const options: ParserOptions & { experimentalRawTransfer: boolean } = {
    lang,
    sourceType: 'module',
    astType: 'ts',
    preserveParens: false,
    experimentalRawTransfer: rawTransfer,
  }
  return parseSync(path, code, options)
}

/** Parses `code` as an ES module in the dialect its id's extension names, or throws a `TransformSyntaxError`. */
export function parseModule(code: string, id: string, file: string): Parsed {
  const path = cleanId(id)
  const lang = langOf(path)
  let result = parse(path, code, lang)
  // Some projects keep JSX in .js files (and tell their JSX plugin so); read them as JSX rather than fail.
  if (lang === 'js' && hasError(result.errors)) {
    const jsx = parse(path, code, 'jsx')
    if (!hasError(jsx.errors)) result = jsx
  }
  const error = result.errors.find((e) => e.severity === 'Error')
  if (error) {
    const offset = error.labels[0]?.start ?? 0
    const { line, column } = new LineIndex(code).position(offset)
    throw new TransformSyntaxError(id, file, error.message, line, column, codeFrame(code, line, column))
  }
  return { program: result.program as unknown as AnyNode, comments: result.comments }
}

function hasError(errors: readonly OxcError[]): boolean {
  return errors.some((e) => e.severity === 'Error')
}

/** The id without Vite's query or hash suffix. */
export function cleanId(id: string): string {
  const end = id.search(/[?#]/)
  return end === -1 ? id : id.slice(0, end)
}

function langOf(path: string): 'js' | 'jsx' | 'ts' | 'tsx' {
  const dot = path.lastIndexOf('.')
  const ext = dot === -1 ? '' : path.slice(dot + 1).toLowerCase()
  if (ext === 'js' || ext === 'mjs' || ext === 'cjs') return 'js'
  if (ext === 'jsx') return 'jsx'
  if (ext === 'tsx') return 'tsx'
  // .ts, .mts, .cts, and anything unknown: TypeScript is the superset that reads the most.
  return 'ts'
}

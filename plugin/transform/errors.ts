/**
 * The transform's error classes. Each says what happened, where (original `file:line:column` with a code frame), why,
 * and how to fix it, behind the fixed `[vitest-isolation]` prefix.
 */
import { codeFrame } from './frame.ts'
import type { LineIndex } from './lines.ts'

const PREFIX = '[vitest-isolation]'

/** One problem with a marker, at a position in the original source. */
export interface MarkerProblem {
  /** What is wrong, quoting the user's names. */
  message: string
  /** What a marker can attach to, or why this is not allowed. */
  why: string
  /** How to fix it. */
  fix: string
  /** 1-based line and column of the problem in the original source. */
  line: number
  column: number
  /** The code frame around the position. */
  frame: string
}

/** Collects marker problems of one file, so they can all be thrown together. */
export class ProblemList {
  readonly problems: MarkerProblem[] = []

  constructor(
    private readonly code: string,
    private readonly lines: LineIndex,
  ) {}

  /** Records a problem at `offset` of the original source. */
  add(offset: number, message: string, why: string, fix: string): void {
    const { line, column } = this.lines.position(offset)
    this.problems.push({ message, why, fix, line, column, frame: codeFrame(this.code, line, column) })
  }
}

/** Where in the original source an error is: the file, the position and its code frame. */
interface SourcePosition {
  /** The module id (absolute path) of the file. */
  id: string
  /** The file as shown in the message (relative to the root when known). */
  file: string
  /** 1-based line and column. */
  line: number
  column: number
  frame: string
}

/** An error at a position of the original source, with what Vite's `this.error` needs to point at it. */
export class LocatedError extends Error {
  readonly id: string
  readonly file: string
  readonly line: number
  readonly column: number
  readonly frame: string
  /** Rollup-style location (0-based column) so Vite's error overlay can point at the position. */
  readonly loc: { file: string; line: number; column: number }

  constructor(message: string, at: SourcePosition) {
    super(message)
    this.id = at.id
    this.file = at.file
    this.line = at.line
    this.column = at.column
    this.frame = at.frame
    this.loc = { file: at.id, line: at.line, column: at.column - 1 }
  }
}

/**
 * A misplaced or unsupported isolation marker (one error for all the problems of a file).
 *
 * `file`, `line`, `column`, `frame` and `loc` describe the first problem; `problems` holds all of them.
 *
 * @example
 * try { transformTestFile(code, id, options) } catch (e) { if (e instanceof MarkerError) console.error(e.problems.length) }
 */
export class MarkerError extends LocatedError {
  override name = 'MarkerError'
  readonly problems: readonly MarkerProblem[]

  constructor(id: string, file: string, problems: MarkerProblem[]) {
    // Problems are found in several passes; report them in source order.
    const sorted = [...problems].sort((a, b) => a.line - b.line || a.column - b.column)
    const first = sorted[0]
    super(formatProblems(file, sorted), { id, file, line: first.line, column: first.column, frame: first.frame })
    this.problems = sorted
  }
}

function formatProblems(file: string, problems: MarkerProblem[]): string {
  const describe = (p: MarkerProblem): string =>
    `${p.message} (${file}:${p.line}:${p.column})\n\n${p.frame}\n\n${p.why}\nFix: ${p.fix}`
  if (problems.length === 1) return `${PREFIX} ${describe(problems[0])}`
  const items = problems.map((p, i) => `${i + 1}. ${describe(p).replace(/\n(?!\n)/g, '\n   ')}`)
  return `${PREFIX} ${problems.length} problems with isolation markers in ${file}:\n\n${items.join('\n\n')}`
}

/** The file could not be parsed, so its markers cannot be read. */
export class TransformSyntaxError extends LocatedError {
  override name = 'TransformSyntaxError'

  constructor(id: string, file: string, message: string, line: number, column: number, frame: string) {
    super(`${PREFIX} Cannot read isolation markers: ${file}:${line}:${column}: ${message}\n\n${frame}`, { id, file, line, column, frame })
  }
}

/** A declared resource's factory export could not be found or wrapped in its module. */
export class FactoryExportError extends Error {
  override name = 'FactoryExportError'
  constructor(
    readonly resource: string,
    readonly id: string,
    readonly exportName: string,
    detail: string,
  ) {
    super(`${PREFIX} Resource "${resource}": cannot instrument the export "${exportName}" of ${id}: ${detail}`)
  }
}

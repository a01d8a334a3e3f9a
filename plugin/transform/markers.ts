/**
 * Reading marker comments. Markers are found in the parser's comment list, never by searching the code, so `@isolate`
 * inside a string or template literal is not a marker.
 */
import type { Comment } from 'oxc-parser'
import type { ProblemList } from './errors.ts'
import type { AnyNode } from './types.ts'

/** Matches the text of either marker; what the cheap pre-check looks for. */
export const MARKER_RE = /@(?:vitest-)?isolate/

/**
 * Whether `code` may contain a marker: a plain-text check that runs before any parsing.
 *
 * @example
 * hasMarker('// @isolate\nconst scheme = newScheme()') // true
 */
export function hasMarker(code: string): boolean {
  return code.includes('@isolate') || code.includes('@vitest-isolate')
}

/** An `@isolate` comment, with its index in the parser's (sorted) comment list. */
export interface IsolateMarker {
  comment: Comment
  index: number
}

/** The markers of one file. */
export interface FileMarkers {
  /** A `@vitest-isolate` comment stands before the first statement. */
  fileMarked: boolean
  isolate: IsolateMarker[]
}

// A marker line is the marker alone; `*` and whitespace around it are ignored (JSDoc-style `/** @isolate */` and
// multi-line blocks with a `* @isolate` line both count).
const TRIM_RE = /^[\s*]+|[\s*]+$/g
// A line that starts like a marker but carries more text: reported rather than silently ignored.
const NEAR_MISS_RE = /^@(?:vitest-)?isolate(?![\w-])/

/** Classifies the file's comments into markers, and records near-misses and misplaced file markers as problems. */
export function readMarkers(program: AnyNode, comments: Comment[], problems: ProblemList): FileMarkers {
  const firstStatement: number = program.body.length > 0 ? program.body[0].start : Infinity
  const result: FileMarkers = { fileMarked: false, isolate: [] }
  for (let index = 0; index < comments.length; index++) {
    const comment = comments[index]
    if (!comment.value.includes('isolate')) continue
    const kind = markerKind(comment, problems)
    if (kind === 'isolate') {
      result.isolate.push({ comment, index })
    } else if (kind === 'file') {
      if (comment.end <= firstStatement) result.fileMarked = true
      else
        problems.add(
          comment.start,
          'The @vitest-isolate file marker is not in the leading comments of the file',
          'The file marker must stand before the first statement, like Vitest’s @vitest-environment.',
          'Move the comment to the top of the file, above the imports.',
        )
    }
  }
  return result
}

function markerKind(comment: Comment, problems: ProblemList): 'isolate' | 'file' | undefined {
  for (const raw of comment.value.split('\n')) {
    const line = raw.replace(TRIM_RE, '')
    if (line === '@isolate') return 'isolate'
    if (line === '@vitest-isolate') return 'file'
    if (NEAR_MISS_RE.test(line)) {
      problems.add(
        comment.start,
        `The comment "${line}" is not a marker: a marker comment holds only "@isolate" (or "@vitest-isolate")`,
        'Any other text on the marker’s line makes it ambiguous, and a marker is never silently ignored.',
        'Write the marker alone on its line (`// @isolate`) and put explanations in a separate comment.',
      )
      return undefined
    }
  }
  return undefined
}

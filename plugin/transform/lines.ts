/**
 * Offsets to 1-based line and column numbers, computed the way source maps count lines (`\n` only), so positions in
 * messages, generated metadata and source maps agree. Columns count UTF-16 code units, 1-based.
 */

/** A position in the original source, both numbers 1-based. */
export interface Position {
  line: number
  column: number
}

/** A lazily built index of line starts, for turning many offsets into positions with binary search. */
export class LineIndex {
  private starts: number[] | undefined

  constructor(private readonly code: string) {}

  /** The 1-based line and column of `offset`. */
  position(offset: number): Position {
    const starts = (this.starts ??= lineStarts(this.code))
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (starts[mid] <= offset) low = mid
      else high = mid - 1
    }
    return { line: low + 1, column: offset - starts[low] + 1 }
  }

  /** The offset of a 1-based line and column (the inverse of {@link position}). */
  offset({ line, column }: Position): number {
    const starts = (this.starts ??= lineStarts(this.code))
    return starts[line - 1] + column - 1
  }
}

function lineStarts(code: string): number[] {
  const starts = [0]
  let index = code.indexOf('\n')
  while (index !== -1) {
    starts.push(index + 1)
    index = code.indexOf('\n', index + 1)
  }
  return starts
}

/**
 * Code frames for error messages, in the layout Babel and Vite users know: a few numbered lines, a `>` gutter on the
 * line of the problem, and a `^` under its column.
 */

const LINES_ABOVE = 2
const LINES_BELOW = 2

/** A code frame around 1-based `line`/`column` of `code`. */
export function codeFrame(code: string, line: number, column: number): string {
  const lines = code.split('\n')
  // A final newline ends the last line; it does not start an empty one worth showing.
  if (lines.length > 1 && lines[lines.length - 1] === '' && line < lines.length) lines.pop()
  const first = Math.max(1, line - LINES_ABOVE)
  const last = Math.min(lines.length, line + LINES_BELOW)
  const width = String(last).length
  const out: string[] = []
  for (let number = first; number <= last; number++) {
    const text = stripCr(lines[number - 1])
    const gutter = `${number === line ? '>' : ' '} ${String(number).padStart(width)} |`
    out.push(text.length > 0 ? `${gutter} ${text}` : gutter)
    if (number === line) {
      // Keep tabs in the caret's indentation so the caret lines up however wide the terminal draws a tab.
      const indent = text.slice(0, Math.max(0, column - 1)).replace(/[^\t]/g, ' ')
      out.push(`  ${' '.repeat(width)} | ${indent}^`)
    }
  }
  return out.join('\n')
}

function stripCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text
}

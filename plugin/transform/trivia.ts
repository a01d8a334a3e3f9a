/**
 * Scanning the trivia between two tokens — whitespace and comments — in the stretches of source where the AST gives no
 * node: between a declarator's name and its `=`, between the `=` and a parenthesised initializer, after a leading
 * comment. Only such stretches are scanned, so no string, template or regular expression can start inside them.
 */

/** The offset of the first character at or after `offset` that is neither whitespace nor part of a comment. */
export function skipTrivia(code: string, offset: number): number {
  let i = offset
  while (i < code.length) {
    const c = code.charCodeAt(i)
    if (isWhitespace(c)) i++
    else if (c === 47 && code.charCodeAt(i + 1) === 47) i = lineEnd(code, i + 2)
    else if (c === 47 && code.charCodeAt(i + 1) === 42) {
      const close = code.indexOf('*/', i + 2)
      i = close === -1 ? code.length : close + 2
    } else return i
  }
  return i
}

/**
 * Where the file's leading comments end — the hashbang and the line and block comments before the first token — and
 * whether the last of them runs to the end of its line (a hashbang or `//`). Nothing but trivia can come before the
 * first token, so the scan needs no parse.
 */
export function leadingCommentsEnd(code: string): { end: number; lineComment: boolean } {
  let end = 0
  let lineComment = false
  let i = 0
  if (code.startsWith('#!')) {
    i = end = lineEnd(code, 2)
    lineComment = true
  }
  for (;;) {
    while (i < code.length && isWhitespace(code.charCodeAt(i))) i++
    if (code.startsWith('//', i)) {
      i = end = lineEnd(code, i + 2)
      lineComment = true
    } else if (code.startsWith('/*', i)) {
      const close = code.indexOf('*/', i + 2)
      // An unterminated comment is a syntax error; the compiler after us reports it.
      if (close === -1) return { end, lineComment }
      i = end = close + 2
      lineComment = false
    } else {
      return { end, lineComment }
    }
  }
}

/** The offset just after the line terminator at `offset` (`\r\n` counts as one), or `offset` when there is none. */
export function afterLineTerminator(code: string, offset: number): number {
  const c = code.charCodeAt(offset)
  if (c === 13 && code.charCodeAt(offset + 1) === 10) return offset + 2
  return isLineTerminator(c) ? offset + 1 : offset
}

/** The offset of the line terminator that ends the line `offset` is on (or the end of the code). */
function lineEnd(code: string, offset: number): number {
  let i = offset
  while (i < code.length && !isLineTerminator(code.charCodeAt(i))) i++
  return i
}

// ECMAScript's LineTerminator: LF, CR, LS, PS.
function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029
}

// ECMAScript's WhiteSpace and LineTerminator code points.
function isWhitespace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || c === 0x1680 || c === 0x202f || c === 0x205f || c === 0x3000)
    return true
  return (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029
}

/**
 * What the transform adds for the state journal, with nothing declared: a module of the project registers its top-level
 * bindings, and a test file says when its own code starts (after its imports are evaluated).
 *
 * Neither parses the module: the top-level declarations are read from the lines that start with one (formatted code starts
 * every top-level declaration at column 0 and nothing nested there; a line that looks like one but is not, inside a
 * template literal, yields a getter that throws or reads a global, which the runtime tolerates). The registration is
 * appended after the last line, where it moves no original position; a test file's start call goes right after its first
 * import declaration (`startCallOffset`), where it moves none either, so neither needs a source map.
 */
import { GENERATED_PREFIX } from '../../runtime/names.ts'
import { leadingCommentsEnd, skipTrivia } from './trivia.ts'

/** The local name of the runtime in the appended code (apart from the prologue's, which the same file may have). */
const STATE_LOCAL = `${GENERATED_PREFIX}_state`

// `export`? `declare`? then the declaration keyword and the name. A `const` is kept only when its value can change in
// place (not a literal, not a function); a `function` or `enum` never holds state of its own.
const DECLARATION = /^(?:export\s+(?:default\s+)?)?(declare\s+)?(let|var|const|class|abstract\s+class)\s+([A-Za-z_$][\w$]*)(.*)$/gm
const CONSTANT_VALUE = /^\s*(?::[^=]*)?=\s*(?:['"`]|-?\d|true\b|false\b|null\b|undefined\b|(?:async\s+)?function\b|(?:async\s*)?\([^)]*\)\s*(?::[^=]*)?=>|(?:async\s+)?[A-Za-z_$][\w$]*\s*=>|Symbol\()/

/** One top-level binding: its name and line (1-based). */
export interface StateBinding {
  name: string
  line: number
}

/** The top-level bindings of `code` that may hold state: `let`/`var`, classes, and `const`s that are not constants. */
export function stateBindings(code: string): StateBinding[] {
  const found: StateBinding[] = []
  const seen = new Set<string>()
  let line = 1
  let counted = 0
  for (const match of code.matchAll(DECLARATION)) {
    for (let i = code.indexOf('\n', counted); i !== -1 && i < match.index; i = code.indexOf('\n', i + 1)) line++
    counted = match.index
    const [, declared, keyword, name, rest] = match
    // `const enum E` is a TypeScript enum (no runtime binding once compiled).
    if (declared !== undefined || seen.has(name) || name === 'enum') continue
    if (keyword === 'const' && CONSTANT_VALUE.test(rest)) continue
    seen.add(name)
    found.push({ name, line })
  }
  return found
}

/**
 * The code appended to a module of the project (test files included): it registers the module's top-level state with
 * the runtime when the module's evaluation ends. `exclude`: names the transform re-bound (a marked binding is the
 * runtime's own per-test cell, under another name). A test file always gets the runtime's import (its own code starts
 * with `moduleStartCall`); another module without state gets nothing (`null`).
 */
export function stateEpilogue(code: string, file: string, runtimeId: string, test: boolean, exclude?: ReadonlySet<string>): string | null {
  const bindings = stateBindings(code).filter(({ name }) => exclude?.has(name) !== true)
  if (bindings.length === 0 && !test) return null
  const roots = bindings.map(({ name, line }) => `[${JSON.stringify(name)}, ${line}, () => ${name}]`).join(', ')
  const register = bindings.length === 0 ? '' : `${STATE_LOCAL}.state(${JSON.stringify(file)}, [${roots}]);`
  return `\n;import { __vi_iso_runtime as ${STATE_LOCAL} } from ${JSON.stringify(runtimeId)};${register}\n`
}

/**
 * The statement that starts a test file's own code, put before its first statement (after its leading comments, as the
 * prologue is). Imports are evaluated before a module's first statement wherever they are written (they are hoisted),
 * so this runs when every import is done: the boundary between the modules' own initial state and what the file does.
 * It uses the import of `stateEpilogue`.
 */
export function moduleStartCall(file: string): string {
  return `${STATE_LOCAL}.imported(${JSON.stringify(file)});`
}

/**
 * Where a test file's start call can go without moving any original position, so the file needs no source map: right
 * after its first statement when that is an import declaration that ends its line (nothing but trivia after it there).
 * Imports are hoisted, so the call still runs after every import and before the file's first other statement. Returns
 * the offset and the text that goes before the call there (`;` when the declaration has none), or `undefined` when the
 * file does not start so (the call then goes before its first statement, with a source map).
 *
 * A source map costs more than the journal's checkpoint itself: made here, combined by Vite with the compiler's and
 * decoded in the worker, it took ~0.4 s of a 120-file suite's ~3.5 s (bench, side by side).
 */
export function startCallOffset(code: string): { offset: number; separator: string } | undefined {
  const end = importDeclarationEnd(code, skipTrivia(code, leadingCommentsEnd(code).end))
  if (end === undefined) return undefined
  const after = skipSpaces(code, end)
  const semicolon = code.charCodeAt(after) === SEMICOLON
  const offset = semicolon ? after + 1 : end
  // Code after the declaration on the same line would move: only trivia may follow (a block comment may end the line).
  const next = skipTrivia(code, offset)
  if (next < code.length && !LINE_BREAK.test(code.slice(offset, next))) return undefined
  return { offset, separator: semicolon ? '' : ';' }
}

const SEMICOLON = 59
const LINE_BREAK = /[\n\r\u2028\u2029]/
const WORD = /[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*/uy

function skipSpaces(code: string, offset: number): number {
  let i = offset
  while (code[i] === ' ' || code[i] === '\t') i++
  return i
}

/** The end of the string literal that starts at `offset` (a quote), or `undefined` when it is not closed on its line. */
function stringEnd(code: string, offset: number): number | undefined {
  const quote = code[offset]
  for (let i = offset + 1; i < code.length; i++) {
    const c = code[i]
    if (c === '\\') i++
    else if (c === quote) return i + 1
    else if (c === '\n' || c === '\r') return undefined
  }
  return undefined
}

/**
 * The end of the import declaration that starts at `offset` (after its module specifier and attributes, before any `;`),
 * or `undefined` when no import declaration starts there (`import(…)`, `import.meta`, `import x = require(…)`, other
 * code). The grammar of a declaration's clause is small — names, `type`, `*`, `as`, braces, commas and string names — so
 * it is read token by token up to the `from` at brace depth 0 that a string follows.
 */
export function importDeclarationEnd(code: string, offset: number): number | undefined {
  if (!code.startsWith('import', offset) || /[\p{ID_Continue}$\u200c\u200d]/u.test(code[offset + 6] ?? '')) return undefined
  let i = skipTrivia(code, offset + 6)
  let specifierEnd: number | undefined
  if (code[i] === '"' || code[i] === "'") specifierEnd = stringEnd(code, i)
  else {
    let depth = 0
    while (i < code.length && specifierEnd === undefined) {
      const c = code[i]
      if (c === '{') depth++
      else if (c === '}') depth--
      else if (c === '"' || c === "'") {
        const close = stringEnd(code, i)
        if (close === undefined) return undefined
        i = skipTrivia(code, close)
        continue
      } else if (c !== ',' && c !== '*') {
        WORD.lastIndex = i
        const word = WORD.exec(code)?.[0]
        if (word === undefined) return undefined
        i = skipTrivia(code, i + word.length)
        if (word === 'from' && depth === 0 && (code[i] === '"' || code[i] === "'")) specifierEnd = stringEnd(code, i)
        continue
      }
      if (depth < 0) return undefined
      i = skipTrivia(code, i + 1)
    }
  }
  if (specifierEnd === undefined) return undefined
  return attributesEnd(code, specifierEnd)
}

/** After a module specifier: the end of `with { … }` (or `assert { … }`) when there is one, else `offset`. */
function attributesEnd(code: string, offset: number): number | undefined {
  const at = skipTrivia(code, offset)
  WORD.lastIndex = at
  const word = WORD.exec(code)?.[0]
  if (word !== 'with' && word !== 'assert') return offset
  let i = skipTrivia(code, at + word.length)
  if (code[i] !== '{') return undefined
  for (i++; i < code.length; i++) {
    const c = code[i]
    if (c === '}') return i + 1
    if (c === '"' || c === "'") {
      const close = stringEnd(code, i)
      if (close === undefined) return undefined
      i = close - 1
    }
  }
  return undefined
}

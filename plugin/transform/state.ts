/**
 * What the transform adds for the state journal, with nothing declared: a module of the project registers its top-level
 * bindings, and a test file says when its own code starts (after its imports are evaluated).
 *
 * Neither parses the module: the top-level declarations are read from the lines that start with one (formatted code starts
 * every top-level declaration at column 0 and nothing nested there; a line that looks like one but is not, inside a
 * template literal, yields a getter that throws or reads a global, which the runtime tolerates). The registration is
 * appended after the last line, where it moves no original position; a test file's start call goes before its first
 * statement.
 */
import { GENERATED_PREFIX } from '../../runtime/names.ts'

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

/**
 * What the transform adds for the state journal, with nothing declared: a module of the project registers its top-level
 * bindings, and a test file says when its own code starts (after its imports are evaluated).
 *
 * Both are appended after the last line, so no original position moves and no source map is needed, and neither parses
 * the module: the top-level declarations are read from the lines that start with one. Formatted code starts every
 * top-level declaration at column 0 and nothing nested there; a line that looks like one but is not (inside a template
 * literal) yields a getter that throws or reads a global, which the runtime tolerates.
 */
import { GENERATED_PREFIX } from '../../runtime/names.ts'

/** The local name of the runtime in the appended code (apart from the prologue's, which the same file may have). */
const STATE_LOCAL = `${GENERATED_PREFIX}_state`

/** The import that marks the start of a test file's own code; the plugin serves it as a virtual module. */
export const MODULE_START_ID = 'virtual:vitest-isolation/module-start'

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
 * the runtime when the module's evaluation ends. `null` when the module has none.
 */
export function stateEpilogue(code: string, file: string, runtimeId: string): string | null {
  const bindings = stateBindings(code)
  if (bindings.length === 0) return null
  const roots = bindings.map(({ name, line }) => `[${JSON.stringify(name)}, ${line}, () => ${name}]`).join(', ')
  return `\n;import { __vi_iso_runtime as ${STATE_LOCAL} } from ${JSON.stringify(runtimeId)};${STATE_LOCAL}.state(${JSON.stringify(file)}, [${roots}]);\n`
}

/**
 * The import appended to a test file: imports are evaluated in order before the module's own code, so this last one
 * runs when every other import is done — the boundary between the modules' own initial state and what the file changes.
 */
export function moduleStartImport(file: string): string {
  return `\n;import ${JSON.stringify(`${MODULE_START_ID}?file=${encodeURIComponent(file)}`)};\n`
}

/** The code of the virtual module that `moduleStartImport` imports. */
export function moduleStartCode(id: string, runtimeId: string): string | null {
  const query = id.indexOf('?file=')
  if (query === -1) return null
  const file = decodeURIComponent(id.slice(query + '?file='.length))
  return `import { __vi_iso_runtime } from ${JSON.stringify(runtimeId)};__vi_iso_runtime.imported(${JSON.stringify(file)});\n`
}

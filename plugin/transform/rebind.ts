/**
 * The rewrite of marked bindings: each marked declarator becomes a per-test accessor created by
 * `__vi_iso_file.binding(...)`, and every reference that resolves to it reads or writes `<accessor>.value`.
 */
import type MagicString from 'magic-string'
import { FILE_LOCAL, bindingLocal } from '../../runtime/names.ts'
import type { BindingMark } from './attach.ts'
import type { LineIndex } from './lines.ts'
import type { Reference } from './scope.ts'
import { skipTrivia } from './trivia.ts'
import type { AnyNode } from './types.ts'

/** The names that the marked declarations of a file declare. */
export function markedNames(bindings: BindingMark[]): Set<string> {
  const names = new Set<string>()
  for (const { declaration } of bindings) for (const d of declaration.declarations) names.add(d.id.name)
  return names
}

/**
 * Rewrites each marked declarator into the creation of its per-test accessor: the name and everything up to the
 * initializer become the generated head, and the initializer stays where it is, as written (with its parentheses), as
 * the body of the arrow that creates the value.
 */
export function rewriteDeclarations(code: string, s: MagicString, bindings: BindingMark[], lines: LineIndex): void {
  for (const { declaration } of bindings) {
    declaration.declarations.forEach((declarator: AnyNode, index: number) => {
      // The first declarator is located at the declaration (`const`), later ones at their own name.
      const { line, column } = lines.position(index === 0 ? declaration.start : declarator.start)
      const name: string = declarator.id.name
      const head = `${bindingLocal(name)} = ${FILE_LOCAL}.binding(${JSON.stringify(name)}, "${declaration.kind}", ${line}, ${column}, () => `
      const init: AnyNode | null = declarator.init
      if (init === null) {
        // The type annotation and a definite-assignment `!` go with the name: the accessor is untyped generated code.
        s.update(declarator.id.start, declarator.end, `${head}undefined)`)
        return
      }
      // The id's span covers its type annotation, so the next token is the `=`, and the one after it starts the
      // initializer as written. Not `init.start`: without preserved parentheses that offset lies inside `(() => 1)`,
      // `({ a: 1 })` or `(1, 2)`, whose closing parenthesis `declarator.end` includes.
      const first = skipTrivia(code, skipTrivia(code, declarator.id.end) + 1)
      const { open, close } = initializerWrap(code, name, init, first)
      s.update(declarator.id.start, first, `${head}${open}`)
      s.appendLeft(declarator.end, `${close})`)
    })
  }
}

/** What goes around an initializer so that, as an arrow's concise body, it evaluates as it did in the declaration. */
function initializerWrap(code: string, name: string, init: AnyNode, firstToken: number): { open: string; close: string } {
  if (isAnonymousFunctionDefinition(init)) {
    // `const f = () => {}` names the function "f"; as a bare arrow body it would stay anonymous. A property of an
    // object literal is named the same way (and keeps `class` expressions' static `name` rules), so `f.name` and
    // stack frames are unchanged. `__proto__:` would set the prototype instead: that key is written computed.
    if (name === '__proto__') return { open: '({ ["__proto__"]: ', close: ' })["__proto__"]' }
    return { open: `({ ${name}: `, close: ` }).${name}` }
  }
  // An arrow's concise body cannot start with `{`: an object literal would read as a block.
  if (code.charCodeAt(firstToken) === 123) return { open: '(', close: ')' }
  return { open: '', close: '' }
}

// TypeScript wrappers that compile away and leave the expression they wrap: its naming is what counts at run time.
const TS_WRAPPERS = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion'])

/** ECMAScript's IsAnonymousFunctionDefinition: an arrow, or a function or class expression without a name. */
function isAnonymousFunctionDefinition(node: AnyNode): boolean {
  let expression = node
  while (TS_WRAPPERS.has(expression.type)) expression = expression.expression
  if (expression.type === 'ArrowFunctionExpression') return true
  return (expression.type === 'FunctionExpression' || expression.type === 'ClassExpression') && !expression.id
}

/** Rewrites the references to marked bindings into accessor reads and writes. */
export function rewriteReferences(s: MagicString, references: Reference[]): void {
  for (const { node, shorthand } of references) {
    const accessor = `${bindingLocal(node.name)}.value`
    s.update(node.start, node.end, shorthand ? `${node.name}: ${accessor}` : accessor)
  }
}

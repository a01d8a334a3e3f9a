/**
 * The rewrite of marked bindings: each marked declarator becomes a per-test accessor created by
 * `__vi_iso_file.binding(...)`, and every reference that resolves to it reads or writes `<accessor>.value`.
 */
import type MagicString from 'magic-string'
import { FILE_LOCAL, bindingLocal } from '../../runtime/names.ts'
import type { BindingMark } from './attach.ts'
import type { LineIndex } from './lines.ts'
import type { Reference } from './scope.ts'
import type { AnyNode } from './types.ts'

/** The names that the marked declarations of a file declare. */
export function markedNames(bindings: BindingMark[]): Set<string> {
  const names = new Set<string>()
  for (const { declaration } of bindings) for (const d of declaration.declarations) names.add(d.id.name)
  return names
}

/** Rewrites each marked declarator into the creation of its per-test accessor. */
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
      // An arrow's concise body cannot start with `{`: an object literal would read as a block.
      const paren = code.charCodeAt(init.start) === 123
      s.update(declarator.id.start, init.start, paren ? `${head}(` : head)
      s.appendLeft(init.end, paren ? '))' : ')')
    })
  }
}

/** Rewrites the references to marked bindings into accessor reads and writes. */
export function rewriteReferences(s: MagicString, references: Reference[]): void {
  for (const { node, shorthand } of references) {
    const accessor = `${bindingLocal(node.name)}.value`
    s.update(node.start, node.end, shorthand ? `${node.name}: ${accessor}` : accessor)
  }
}

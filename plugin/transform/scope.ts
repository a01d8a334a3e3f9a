/**
 * Scope analysis for marked bindings: finds every identifier in the file that refers to a marked top-level binding.
 *
 * It analyses, then resolves — like periscopic and Vite's ssrTransform — and never mutates the AST: one walk records
 * the declarations of each scope (only of the marked names, which keeps it cheap) and every candidate reference with
 * the scope it occurs in; references are resolved once the walk has seen every declaration, so hoisted `var` and
 * function declarations shadow uses that precede them.
 */
import { Walker } from './walker.ts'
import type { AnyNode } from './types.ts'

/** An identifier that refers to a marked binding. */
export interface Reference {
  /** An `Identifier`, or a `JSXIdentifier` naming a component. */
  node: AnyNode
  /** A shorthand property (`{ x }`, `({ x } = o)`), which must be expanded to `x: <accessor>`. */
  shorthand: boolean
}

/** The references a file makes to its marked bindings, and the ones that export them. */
export interface Analysis {
  references: Reference[]
  /** `export { x }`, `export { x as y }`, `export default x` of a marked binding. */
  exports: AnyNode[]
}

/** A lexical scope: a function's parameters or body, a block, a class, a loop head, a catch clause, the module. */
export interface Scope {
  parent: Scope | null
  /** Marked names declared in this scope; `null` while none is. */
  names: Set<string> | null
  /** A function body, static block, namespace body or the module: where `var` declarations go. */
  varScope: boolean
}

/** A reference before resolution: the scope it occurs in decides what it refers to. */
export interface Candidate extends Reference {
  scope: Scope
}

/** Finds the references to the top-level bindings `marked` that no nested scope shadows. */
export function analyseReferences(program: AnyNode, marked: ReadonlySet<string>): Analysis {
  const walker = new Walker(marked)
  const root: Scope = { parent: null, names: null, varScope: true }
  walker.statements(program.body, root)
  const references: Reference[] = []
  for (const candidate of walker.candidates) {
    if (resolvesToRoot(candidate.node.name, candidate.scope, root))
      references.push({ node: candidate.node, shorthand: candidate.shorthand })
  }
  return { references, exports: walker.exports }
}

/** Whether `name`, used in `scope`, resolves to the module scope `root` (no scope in between declares it). */
export function resolvesToRoot(name: string, scope: Scope, root: Scope): boolean {
  for (let s: Scope | null = scope; s !== null && s !== root; s = s.parent) {
    if (s.names?.has(name)) return false
  }
  return true
}

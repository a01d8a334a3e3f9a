/**
 * Module roots: the unmarked top-level bindings of a transformed file, which outlive every test. The transform appends
 * one call that hands them to the runtime as `[name, line, getter]` — at the end, after everything else has been
 * declared, so no original line moves and no getter runs before its binding exists (a getter that still throws, for a
 * module whose evaluation failed part-way, is tolerated by the runtime).
 */
import { FILE_LOCAL } from '../../runtime/names.ts'
import type { LineIndex } from './lines.ts'
import { testFunctionNames } from './test-calls.ts'
import type { AnyNode } from './types.ts'

/** One top-level binding and the line (1-based, original source) of its declaration. */
export interface ModuleRoot {
  name: string
  line: number
}

/** True for an import of the project's own modules (relative or absolute), whose state a test may fill. */
function isProjectImport(source: string): boolean {
  // Packages and built-ins (vitest, node:fs) hold their own bookkeeping: a path through them is not the test's leak.
  return source.startsWith('.') || source.startsWith('/')
}

function patternNames(node: AnyNode | null, into: AnyNode[]): void {
  if (node === null) return
  switch (node.type) {
    case 'Identifier':
      into.push(node)
      return
    case 'ObjectPattern':
      for (const property of node.properties as AnyNode[]) patternNames(property.type === 'RestElement' ? property.argument : property.value, into)
      return
    case 'ArrayPattern':
      for (const element of node.elements as (AnyNode | null)[]) patternNames(element, into)
      return
    case 'RestElement':
      patternNames(node.argument, into)
      return
    case 'AssignmentPattern':
      patternNames(node.left, into)
  }
}

/** The identifiers a top-level statement declares as values (types, overload signatures and `declare` are not values). */
function declaredIdentifiers(statement: AnyNode): AnyNode[] {
  let node = statement
  if ((node.type === 'ExportNamedDeclaration' || node.type === 'ExportDefaultDeclaration') && node.declaration) node = node.declaration
  if (node.declare) return []
  const found: AnyNode[] = []
  switch (node.type) {
    case 'VariableDeclaration':
      for (const declarator of node.declarations as AnyNode[]) patternNames(declarator.id, found)
      break
    case 'FunctionDeclaration':
    case 'ClassDeclaration':
      if (node.id) found.push(node.id)
      break
    case 'ImportDeclaration':
      if (node.importKind === 'type' || !isProjectImport(String(node.source.value))) break
      for (const specifier of node.specifiers as AnyNode[]) {
        if (specifier.importKind !== 'type') found.push(specifier.local)
      }
  }
  return found
}

/**
 * The unmarked top-level value bindings of `program`, in source order, each once — except test functions made with
 * `test.extend(...)` and the like: they are Vitest's, and what they reach (tasks, contexts, fixtures) is its bookkeeping.
 */
export function moduleRoots(program: AnyNode, marked: ReadonlySet<string>, lines: LineIndex): ModuleRoot[] {
  const roots: ModuleRoot[] = []
  const seen = new Set<string>([...marked, ...testFunctionNames(program)])
  for (const statement of program.body as AnyNode[]) {
    for (const identifier of declaredIdentifiers(statement)) {
      const name: string = identifier.name
      if (seen.has(name)) continue
      seen.add(name)
      roots.push({ name, line: lines.position(identifier.start).line })
    }
  }
  return roots
}

/** The code appended to the file: one new last line that registers the roots (empty when there are none). */
export function rootsEpilogue(roots: readonly ModuleRoot[]): string {
  if (roots.length === 0) return ''
  const entries = roots.map(({ name, line }) => `[${JSON.stringify(name)}, ${line}, () => ${name}]`)
  // On a line of its own, after a `;`: the file may end in a line comment or an expression without a semicolon.
  return `\n;${FILE_LOCAL}.roots([${entries.join(', ')}]);`
}

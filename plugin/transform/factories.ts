/**
 * Instrumentation of declared resource factories: the module that declares a factory wraps its export with
 * `__vi_iso_runtime.factory(name, fn)`, so that instances made by direct calls (`const scheme = newScheme()` at module
 * scope) are known to the runtime too.
 */
import MagicString from 'magic-string'
import { RUNTIME_LOCAL } from '../../runtime/names.ts'
import { FactoryExportError } from './errors.ts'
import { parseModule } from './parse.ts'
import { insertPrologue } from './prologue.ts'
import { result } from './transform.ts'
import type { AnyNode, ResolvedResource, TransformOptions, TransformResult } from './types.ts'

/** Where an export's value can be wrapped. */
type Target =
  /** A function declaration: re-assigned at the top of the module (it is hoisted, so every call sees the wrapper). */
  | { kind: 'hoisted'; local: string }
  /** A class declaration: re-assigned right after it (class bindings are not initialised before). */
  | { kind: 'after'; local: string; end: number }
  /** An expression (initializer, `export default` expression): wrapped where it stands. */
  | { kind: 'wrap'; node: AnyNode }

/**
 * Wraps the factory exports of `resources` (those declared in module `id`) so that the runtime registers every
 * instance they return; returns `null` when no resource is declared in this module.
 *
 * @example
 * instrumentFactories(code, '/repo/scheme/index.ts', [{ name: 'scheme', id: '/repo/scheme/index.ts', export: 'newScheme', uses: [] }], { runtimeId: 'vitest-isolation/runtime' })
 */
export function instrumentFactories(
  code: string,
  id: string,
  resources: readonly ResolvedResource[],
  options: Pick<TransformOptions, 'runtimeId'>,
): TransformResult | null {
  if (resources.length === 0) return null
  const { program } = parseModule(code, id, id)
  const s = new MagicString(code)
  let top = ''
  for (const resource of resources) {
    const target = findExport(program, resource, id)
    const open = `${RUNTIME_LOCAL}.factory(${JSON.stringify(resource.name)}, `
    if (target.kind === 'hoisted') top += `${target.local} = ${open}${target.local});`
    else if (target.kind === 'after') s.appendLeft(target.end, `;${target.local} = ${open}${target.local});`)
    else {
      s.appendLeft(target.node.start, open)
      s.prependRight(target.node.end, ')')
    }
  }
  insertPrologue(code, s, `import { ${RUNTIME_LOCAL} } from ${JSON.stringify(options.runtimeId)};${top}`)
  return result(s, id)
}

function findExport(program: AnyNode, resource: ResolvedResource, id: string): Target {
  const fail = (detail: string): never => {
    throw new FactoryExportError(resource.name, id, resource.export, detail)
  }
  const wanted = resource.export
  let reexportAll = false
  for (const statement of program.body as AnyNode[]) {
    if (statement.type === 'ExportAllDeclaration') reexportAll = true
    if (statement.type === 'ExportDefaultDeclaration' && wanted === 'default') {
      const declaration = statement.declaration
      if ((declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id)
        return declarationTarget(declaration)
      if (declaration.type.startsWith('TS') && declaration.type.endsWith('Declaration'))
        fail('the default export is a type, not a factory function')
      return { kind: 'wrap', node: declaration }
    }
    if (statement.type !== 'ExportNamedDeclaration' || statement.exportKind === 'type') continue
    if (statement.declaration) {
      const target = declaredTarget(statement.declaration, wanted, fail)
      if (target) return target
      continue
    }
    for (const specifier of statement.specifiers as AnyNode[]) {
      if (exportedName(specifier.exported) !== wanted) continue
      if (statement.source)
        fail(`it is re-exported from ${JSON.stringify(statement.source.value)}; declare the resource with that module instead`)
      return localTarget(program, specifier.local.name, fail)
    }
  }
  return fail(
    reexportAll
      ? 'no such export is declared in this module (an `export * from` may provide it: declare the resource with the module that defines it)'
      : 'no such export is declared in this module',
  )
}

function declaredTarget(declaration: AnyNode, name: string, fail: (detail: string) => never): Target | undefined {
  if (declaration.declare) return undefined
  if (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration')
    return declaration.id?.name === name ? declarationTarget(declaration) : undefined
  if (declaration.type !== 'VariableDeclaration') return undefined
  for (const declarator of declaration.declarations as AnyNode[]) {
    if (declarator.id.type !== 'Identifier') {
      if (patternNames(declarator.id).includes(name)) fail('it is declared by destructuring, which cannot be wrapped')
      continue
    }
    if (declarator.id.name !== name) continue
    if (!declarator.init) fail('it is declared without an initializer')
    return { kind: 'wrap', node: declarator.init }
  }
  return undefined
}

function localTarget(program: AnyNode, local: string, fail: (detail: string) => never): Target {
  for (let statement of program.body as AnyNode[]) {
    if (statement.type === 'ImportDeclaration') {
      for (const specifier of statement.specifiers as AnyNode[])
        if (specifier.local.name === local)
          fail(`it is imported from ${JSON.stringify(statement.source.value)}; declare the resource with that module instead`)
      continue
    }
    if ((statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration') && statement.declaration)
      statement = statement.declaration
    const target = declaredTarget(statement, local, fail)
    if (target) return target
  }
  return fail(`its local binding "${local}" is not declared at the top level of this module`)
}

function declarationTarget(declaration: AnyNode): Target {
  const local: string = declaration.id.name
  return declaration.type === 'FunctionDeclaration' ? { kind: 'hoisted', local } : { kind: 'after', local, end: declaration.end }
}

function exportedName(node: AnyNode): string {
  return node.type === 'Identifier' ? node.name : String(node.value)
}

function patternNames(node: AnyNode): string[] {
  switch (node.type) {
    case 'Identifier':
      return [node.name]
    case 'ObjectPattern':
      return node.properties.flatMap((p: AnyNode) => patternNames(p.type === 'RestElement' ? p.argument : p.value))
    case 'ArrayPattern':
      return node.elements.flatMap((e: AnyNode | null) => (e ? patternNames(e) : []))
    case 'RestElement':
      return patternNames(node.argument)
    case 'AssignmentPattern':
      return patternNames(node.left)
    default:
      return []
  }
}

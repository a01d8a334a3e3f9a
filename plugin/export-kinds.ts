/**
 * What a module's exports are, read from its source: a resource export that is plainly not a function or class (an
 * object, a string, a number…) is a start-up error instead of a failure in every test.
 *
 * Only what the source shows for certain counts. An export whose value comes from a call, an import, a `new`, or a
 * `let`/`var` (which the module may reassign) can be a function at run time, so it is left to the runtime's check:
 * a wrong start-up error would stop a suite that works.
 */
import type { Declaration, Expression, Program } from 'oxc-parser'

/** Returned for an expression that is a function or class. */
const CALLABLE = null

/** `CALLABLE`, what the value is (`'an object'`), or `undefined` when the source does not say for certain. */
type Kind = typeof CALLABLE | string | undefined

/**
 * The local exports of `program` whose source shows they are not a function or class, by exported name, each with what
 * it is (`'an object'`, `'a string'`, …). Re-exports are not here: they are followed to the module that defines them.
 */
export function notCallableExports(program: Program): Map<string, string> {
  const locals = new Map<string, () => Kind>()
  const resolving = new Set<string>()
  const local = (name: string): Kind => {
    const kind = locals.get(name)
    // `const a = b; const b = a` cannot run, but must not hang the check either.
    if (!kind || resolving.has(name)) return undefined
    resolving.add(name)
    try {
      return kind()
    } finally {
      resolving.delete(name)
    }
  }
  const describe = (expression: Expression | null | undefined): Kind => describeExpression(expression, local)

  const declare = (declaration: Declaration): string[] => {
    switch (declaration.type) {
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
        if (declaration.id) locals.set(declaration.id.name, () => CALLABLE)
        return declaration.id ? [declaration.id.name] : []
      case 'TSEnumDeclaration':
        locals.set(declaration.id.name, () => 'an enum (an object)')
        return [declaration.id.name]
      case 'VariableDeclaration': {
        const names: string[] = []
        for (const declarator of declaration.declarations) {
          if (declarator.id.type !== 'Identifier') continue
          const init = declarator.init
          // A `let` or `var` may be reassigned before the plugin reads it.
          locals.set(declarator.id.name, declaration.kind === 'const' ? () => describe(init) : () => undefined)
          names.push(declarator.id.name)
        }
        return names
      }
      default:
        return []
    }
  }

  // Exported name → local name (or a thunk for `export default <expression>`), resolved once every local is known.
  const exported: Array<[string, () => Kind]> = []
  for (const statement of program.body) {
    if (statement.type === 'ExportNamedDeclaration') {
      if (statement.declaration) {
        for (const name of declare(statement.declaration)) exported.push([name, () => local(name)])
      } else if (!statement.source) {
        for (const specifier of statement.specifiers) {
          const from = specifier.local.type === 'Identifier' ? specifier.local.name : specifier.local.value
          const as = specifier.exported.type === 'Identifier' ? specifier.exported.name : specifier.exported.value
          exported.push([as, () => local(from)])
        }
      }
    } else if (statement.type === 'ExportDefaultDeclaration') {
      const value = statement.declaration
      if (value.type === 'FunctionDeclaration' || value.type === 'ClassDeclaration') {
        if (value.id) declare(value)
        exported.push(['default', () => CALLABLE])
      } else if (value.type !== 'TSInterfaceDeclaration') {
        exported.push(['default', () => describe(value)])
      }
    } else if (
      statement.type === 'VariableDeclaration' ||
      statement.type === 'FunctionDeclaration' ||
      statement.type === 'ClassDeclaration' ||
      statement.type === 'TSEnumDeclaration'
    ) {
      declare(statement)
    }
  }
  const result = new Map<string, string>()
  for (const [name, kind] of exported) {
    const found = kind()
    if (typeof found === 'string') result.set(name, found)
  }
  return result
}

function describeExpression(expression: Expression | null | undefined, local: (name: string) => Kind): Kind {
  if (!expression) return 'undefined'
  switch (expression.type) {
    case 'ParenthesizedExpression':
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
    case 'TSTypeAssertion':
    case 'TSInstantiationExpression':
      return describeExpression(expression.expression, local)
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
    case 'ClassExpression':
      return CALLABLE
    case 'ObjectExpression':
      return 'an object'
    case 'ArrayExpression':
      return 'an array'
    case 'TemplateLiteral':
      return 'a string'
    case 'Literal':
      if ('regex' in expression && expression.regex) return 'a regular expression'
      if ('bigint' in expression && expression.bigint) return 'a bigint'
      if (expression.value === null) return 'null'
      return typeof expression.value === 'string' ? 'a string' : typeof expression.value === 'number' ? 'a number' : 'a boolean'
    case 'UnaryExpression':
      if (expression.operator === 'void') return 'undefined'
      if (expression.operator === '!' || expression.operator === 'delete') return 'a boolean'
      if (expression.operator === 'typeof') return 'a string'
      return describeExpression(expression.argument, local) === 'a bigint' ? 'a bigint' : 'a number'
    case 'Identifier':
      return expression.name === 'undefined' ? 'undefined' : local(expression.name)
    default:
      return undefined
  }
}

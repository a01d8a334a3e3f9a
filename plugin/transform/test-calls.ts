/**
 * Recognising calls that define tests or suites: `test`/`it`/`describe`/`suite`, any modifier chain, the curried
 * `.each(...)(...)`, `.each`table`(...)`, `.for(...)(...)`/`.skipIf(...)(...)`/`.runIf(...)(...)` forms, and functions made from them in
 * the same file (`const myTest = test.extend({...})`).
 */
import type { AnyNode } from './types.ts'

const BASE_NAMES = ['test', 'it', 'describe', 'suite']
// Property accesses that return the same kind of function (Vitest's chainable modifiers).
const MODIFIERS = new Set(['concurrent', 'sequential', 'only', 'skip', 'todo', 'fails', 'shuffle'])
// Methods whose call returns a test or suite function.
const FACTORIES = new Set(['each', 'for', 'skipIf', 'runIf', 'extend'])

/** The names that are test functions in a file: the four built-ins and the top-level bindings made from them. */
export function testFunctionNames(program: AnyNode): Set<string> {
  const names = new Set(BASE_NAMES)
  for (let statement of program.body as AnyNode[]) {
    if (statement.type === 'ExportNamedDeclaration' && statement.declaration) statement = statement.declaration
    if (statement.type !== 'VariableDeclaration') continue
    // In source order, so `const b = a.extend(...)` after `const a = test.extend(...)` is recognised.
    for (const declarator of statement.declarations as AnyNode[]) {
      if (declarator.id.type === 'Identifier' && declarator.init && isTestFunction(declarator.init, names))
        names.add(declarator.id.name)
    }
  }
  return names
}

/** Whether `node` evaluates to a test or suite function (`test.concurrent`, `myTest.each(table)`, ...). */
export function isTestFunction(node: AnyNode, names: Set<string>): boolean {
  node = unwrap(node)
  switch (node.type) {
    case 'Identifier':
      return names.has(node.name)
    case 'MemberExpression':
      return !node.computed && MODIFIERS.has(node.property.name) && isTestFunction(node.object, names)
    case 'CallExpression':
    case 'TaggedTemplateExpression': {
      // `test.each(table)` and the template-table form `test.each\`...\``.
      const callee = unwrap(node.type === 'CallExpression' ? node.callee : node.tag)
      return (
        callee.type === 'MemberExpression' &&
        !callee.computed &&
        FACTORIES.has(callee.property.name) &&
        isTestFunction(callee.object, names)
      )
    }
    default:
      return false
  }
}

/** Whether `node` is a call that defines a test or suite. */
export function isTestCall(node: AnyNode, names: Set<string>): boolean {
  node = unwrap(node)
  return node.type === 'CallExpression' && isTestFunction(node.callee, names)
}

/** The source text naming what a call calls, for messages (`foo`, `helpers.define`, ...). */
export function calleeText(code: string, node: AnyNode): string | undefined {
  node = unwrap(node)
  if (node.type !== 'CallExpression') return undefined
  const text = code.slice(node.callee.start, node.callee.end)
  return text.length <= 60 ? text : `${text.slice(0, 57)}...`
}

// Type-only wrappers and parentheses do not change what a call calls.
function unwrap(node: AnyNode): AnyNode {
  while (
    node.type === 'ParenthesizedExpression' ||
    node.type === 'TSNonNullExpression' ||
    node.type === 'TSAsExpression' ||
    node.type === 'TSSatisfiesExpression' ||
    node.type === 'TSInstantiationExpression'
  )
    node = node.expression
  return node
}

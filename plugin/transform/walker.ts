/**
 * The walk of the reference analysis: one pass over the AST that records, per scope, the marked names declared there,
 * and every identifier that may refer to a marked name. It knows which identifiers are not references (member
 * properties, object keys, labels, types) and which patterns declare and which assign.
 */
import { visitorKeys } from 'oxc-parser'
import type { Candidate, Scope } from './scope.ts'
import type { AnyNode } from './types.ts'

// Keys under which oxc puts only types; nothing below them is a value reference.
const TYPE_KEYS = new Set(['typeAnnotation', 'returnType', 'typeParameters', 'typeArguments', 'superTypeArguments', 'implements'])
// TypeScript nodes that carry values; every other `TS*` node is type-only (or ambient) and is skipped whole.
const VALUE_TS = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'TSInstantiationExpression',
  'TSEnumDeclaration',
  'TSModuleDeclaration',
  'TSModuleBlock',
  'TSExportAssignment',
  'TSImportEqualsDeclaration',
])

/** Collects declarations and candidate references of the marked names. */
export class Walker {
  readonly candidates: Candidate[] = []
  readonly exports: AnyNode[] = []

  constructor(private readonly marked: ReadonlySet<string>) {}

  statements(list: AnyNode[], scope: Scope): void {
    for (const node of list) this.visit(node, scope)
  }

  visit(node: AnyNode, scope: Scope): void {
    switch (node.type) {
      case 'Identifier':
        return this.reference(node, scope, false)
      case 'VariableDeclaration': {
        if (node.declare) return
        const target = node.kind === 'var' ? varScopeOf(scope) : scope
        for (const declarator of node.declarations) {
          this.declarePattern(declarator.id, target, scope)
          if (declarator.init) this.visit(declarator.init, scope)
        }
        return
      }
      case 'FunctionDeclaration':
        if (node.declare) return
        // Module code is strict: a function declaration in a block is scoped to that block.
        if (node.id) this.declare(scope, node.id.name)
        return this.function(node, scope, null)
      case 'FunctionExpression':
        return this.function(node, scope, node.id?.name ?? null)
      case 'ArrowFunctionExpression':
        return this.function(node, scope, null)
      case 'ClassDeclaration':
        if (node.declare) return
        if (node.id) this.declare(scope, node.id.name)
        return this.class(node, scope)
      case 'ClassExpression':
        return this.class(node, scope)
      case 'BlockStatement':
        return this.statements(node.body, child(scope, false))
      case 'StaticBlock':
        return this.statements(node.body, child(scope, true))
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
        return this.loop(node, child(scope, false))
      case 'CatchClause': {
        const inner = child(scope, false)
        if (node.param) this.declarePattern(node.param, inner, inner)
        return this.visit(node.body, inner)
      }
      case 'SwitchStatement': {
        this.visit(node.discriminant, scope)
        const inner = child(scope, false)
        for (const c of node.cases) {
          if (c.test) this.visit(c.test, inner)
          this.statements(c.consequent, inner)
        }
        return
      }
      case 'LabeledStatement':
        return this.visit(node.body, scope)
      case 'BreakStatement':
      case 'ContinueStatement':
      case 'MetaProperty':
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
        return
      case 'MemberExpression':
        this.visit(node.object, scope)
        if (node.computed) this.visit(node.property, scope)
        return
      case 'Property':
        // Object literal property; patterns are handled by declarePattern/assignTarget.
        if (node.computed) this.visit(node.key, scope)
        if (node.shorthand && node.value.type === 'Identifier') return this.reference(node.value, scope, true)
        return this.visit(node.value, scope)
      case 'MethodDefinition':
      case 'PropertyDefinition':
      case 'AccessorProperty':
        this.each(node.decorators, scope)
        if (node.computed) this.visit(node.key, scope)
        if (node.value) this.visit(node.value, scope)
        return
      case 'AssignmentExpression':
        this.assignTarget(node.left, scope)
        return this.visit(node.right, scope)
      case 'ExportNamedDeclaration':
        if (node.declaration) return this.visit(node.declaration, scope)
        if (node.source || node.exportKind === 'type') return
        for (const specifier of node.specifiers) {
          if (specifier.exportKind !== 'type' && specifier.local.type === 'Identifier') this.exported(specifier.local)
        }
        return
      case 'ExportDefaultDeclaration':
        if (node.declaration.type === 'Identifier') return this.exported(node.declaration)
        return this.visit(node.declaration, scope)
      case 'TSEnumDeclaration': {
        if (node.declare) return
        this.declare(scope, node.id.name)
        // Members are in scope in each other's initializers (`enum E { A = 1, B = A }`).
        const inner = child(scope, false)
        for (const member of node.body.members) if (member.id.type === 'Identifier') this.declare(inner, member.id.name)
        for (const member of node.body.members) if (member.initializer) this.visit(member.initializer, inner)
        return
      }
      case 'TSModuleDeclaration':
        if (node.declare || node.id.type !== 'Identifier') return
        this.declare(scope, node.id.name)
        if (node.body) this.visit(node.body, child(scope, true))
        return
      case 'TSModuleBlock':
        return this.statements(node.body, scope)
      case 'TSImportEqualsDeclaration':
        return this.declare(scope, node.id.name)
      case 'JSXOpeningElement':
      case 'JSXClosingElement':
        this.jsxName(node.name, scope)
        return this.children(node, scope)
      default:
        if (node.type.startsWith('TS') && !VALUE_TS.has(node.type)) return
        return this.children(node, scope)
    }
  }

  private children(node: AnyNode, scope: Scope): void {
    const keys = visitorKeys[node.type as keyof typeof visitorKeys]
    if (keys === undefined) return
    for (const key of keys) {
      if (TYPE_KEYS.has(key)) continue
      const value = node[key]
      if (value === null || typeof value !== 'object') continue
      if (Array.isArray(value)) this.each(value, scope)
      else this.visit(value, scope)
    }
  }

  private each(list: (AnyNode | null)[] | undefined, scope: Scope): void {
    if (list === undefined) return
    for (const item of list) if (item !== null) this.visit(item, scope)
  }

  private function(node: AnyNode, scope: Scope, ownName: string | null): void {
    // Parameters get their own scope: default values cannot see the body's declarations.
    const params = child(scope, false)
    if (ownName !== null) this.declare(params, ownName)
    for (const param of node.params) this.declarePattern(param, params, params)
    const body = node.body
    if (body === null || body === undefined) return
    if (body.type === 'BlockStatement') this.statements(body.body, child(params, true))
    else this.visit(body, params)
  }

  private class(node: AnyNode, scope: Scope): void {
    this.each(node.decorators, scope)
    if (node.superClass) this.visit(node.superClass, scope)
    const inner = child(scope, false)
    if (node.id) this.declare(inner, node.id.name)
    for (const member of node.body.body) this.visit(member, inner)
  }

  private loop(node: AnyNode, inner: Scope): void {
    if (node.type === 'ForStatement') {
      if (node.init) this.visit(node.init, inner)
      if (node.test) this.visit(node.test, inner)
      if (node.update) this.visit(node.update, inner)
    } else {
      if (node.left.type === 'VariableDeclaration') this.visit(node.left, inner)
      else this.assignTarget(node.left, inner)
      this.visit(node.right, inner)
    }
    this.visit(node.body, inner)
  }

  /** A binding pattern: its names are declared in `target`; defaults and computed keys are evaluated in `scope`. */
  private declarePattern(node: AnyNode, target: Scope, scope: Scope): void {
    switch (node.type) {
      case 'Identifier':
        this.each(node.decorators, scope)
        return this.declare(target, node.name)
      case 'ObjectPattern':
        for (const property of node.properties) {
          if (property.type === 'RestElement') this.declarePattern(property.argument, target, scope)
          else {
            if (property.computed) this.visit(property.key, scope)
            this.declarePattern(property.value, target, scope)
          }
        }
        return
      case 'ArrayPattern':
        for (const element of node.elements) if (element !== null) this.declarePattern(element, target, scope)
        return
      case 'RestElement':
        return this.declarePattern(node.argument, target, scope)
      case 'AssignmentPattern':
        this.declarePattern(node.left, target, scope)
        return this.visit(node.right, scope)
      case 'TSParameterProperty':
        this.each(node.decorators, scope)
        return this.declarePattern(node.parameter, target, scope)
      default:
        return this.visit(node, scope)
    }
  }

  /** An assignment target: identifiers in it are references that are written. */
  private assignTarget(node: AnyNode, scope: Scope): void {
    switch (node.type) {
      case 'ObjectPattern':
        for (const property of node.properties) {
          if (property.type === 'RestElement') {
            this.assignTarget(property.argument, scope)
            continue
          }
          if (property.computed) this.visit(property.key, scope)
          const value = property.value
          if (property.shorthand && value.type === 'Identifier') this.reference(value, scope, true)
          else if (property.shorthand && value.type === 'AssignmentPattern') {
            this.reference(value.left, scope, true)
            this.visit(value.right, scope)
          } else this.assignTarget(value, scope)
        }
        return
      case 'ArrayPattern':
        for (const element of node.elements) if (element !== null) this.assignTarget(element, scope)
        return
      case 'RestElement':
        return this.assignTarget(node.argument, scope)
      case 'AssignmentPattern':
        this.assignTarget(node.left, scope)
        return this.visit(node.right, scope)
      default:
        return this.visit(node, scope)
    }
  }

  /** A tag name: `<Button>` and the object of `<ui.Button>` / `<ui.A.B>` are references, `<div>` and `<svg:rect>` are not. */
  private jsxName(node: AnyNode, scope: Scope): void {
    if (node.type === 'JSXMemberExpression') {
      let object = node.object
      while (object.type === 'JSXMemberExpression') object = object.object
      // The object of a member tag is a value whatever its case (`<ui.Button>` reads `ui`); `this` is no binding.
      if (object.type === 'JSXIdentifier') this.reference(object, scope, false)
      return
    }
    // A plain lower-case name (`<div>`) is an intrinsic element, as JSX compilers decide, not a reference.
    if (node.type === 'JSXIdentifier' && !/^[a-z]/.test(node.name)) this.reference(node, scope, false)
  }

  private reference(node: AnyNode, scope: Scope, shorthand: boolean): void {
    if (this.marked.has(node.name)) this.candidates.push({ node, scope, shorthand })
  }

  private exported(node: AnyNode): void {
    if (this.marked.has(node.name)) this.exports.push(node)
  }

  private declare(scope: Scope, name: string): void {
    if (this.marked.has(name)) (scope.names ??= new Set()).add(name)
  }
}

/** A new scope nested in `parent`. */
function child(parent: Scope, varScope: boolean): Scope {
  return { parent, names: null, varScope }
}

/** The scope that a `var` declared in `scope` belongs to. */
function varScopeOf(scope: Scope): Scope {
  let s = scope
  while (!s.varScope && s.parent !== null) s = s.parent
  return s
}


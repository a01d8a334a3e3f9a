/**
 * The scope oracle of the transform's tests: TypeScript's own binder and checker resolve the identifiers of one file,
 * so the tests compare the transform's scope analysis (and its output) with a resolver that shares none of its code.
 */
import ts from 'typescript'

/** One identifier in a value position and what TypeScript resolves it to. */
export interface Resolution {
  node: ts.Identifier
  /** Start offset of the identifier in the file. */
  offset: number
  /** The symbol it refers to (for a shorthand property, the value's symbol), if TypeScript finds one. */
  symbol: ts.Symbol | undefined
  /** The identifier is the local name of an export specifier or the expression of `export default`/`export =`. */
  exported: boolean
}

/** A single-file program (no lib, no module resolution) and its checker. */
export interface SingleFile {
  source: ts.SourceFile
  checker: ts.TypeChecker
}

// Every file is read as an ES module, as Vite serves it (a JS file without import or export would be bound as CommonJS).
// No lib, no resolution and no automatic `@types` packages: the program is the one file, bound in milliseconds.
const OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  noLib: true,
  noResolve: true,
  types: [],
  jsx: ts.JsxEmit.Preserve,
  moduleDetection: ts.ModuleDetectionKind.Force,
}

/**
 * Binds `code` as the only file of a program. JavaScript is bound as TSX: the same scopes, without the JS-only
 * treatment of `const x = require(…)` as an import alias, which resolves every reference to such a name in a file to
 * its first declaration even across blocks — not what the code does at run time.
 */
export function singleFile(fileName: string, code: string): SingleFile {
  const bound = fileName.replace(/\.[cm]?jsx?$/, '.tsx')
  const host = ts.createCompilerHost(OPTIONS)
  const getSourceFile = host.getSourceFile
  host.getSourceFile = (name, version) =>
    name === bound ? ts.createSourceFile(name, code, version, true) : getSourceFile.call(host, name, version)
  const program = ts.createProgram([bound], OPTIONS, host)
  return { source: program.getSourceFile(bound)!, checker: program.getTypeChecker() }
}

/**
 * Every identifier of the file in a value position, except member names and the names that variable,
 * binding-element and function declarations declare, with the symbol TypeScript resolves it to. Types are erased at run time and skipped; in
 * `class A extends B<T>`, `B` is a value and `T` a type.
 */
export function valueIdentifiers({ source, checker }: SingleFile): Resolution[] {
  const found: Resolution[] = []
  const visit = (node: ts.Node, inType: boolean): void => {
    const isType = inType || (ts.isTypeNode(node) && !(ts.isExpressionWithTypeArguments(node) && isClassExtends(node)))
    if (ts.isIdentifier(node) && !isType && !isDeclarationName(node) && !isMemberName(node)) {
      const parent = node.parent
      const symbol = ts.isShorthandPropertyAssignment(parent)
        ? checker.getShorthandAssignmentValueSymbol(parent)
        : ts.isExportSpecifier(parent)
          ? parent.propertyName === node || !parent.propertyName
            ? checker.getExportSpecifierLocalTargetSymbol(parent)
            : undefined
          : checker.getSymbolAtLocation(node)
      const exported = ts.isExportSpecifier(parent) || ts.isExportAssignment(parent)
      found.push({ node, offset: node.getStart(source), symbol, exported })
    }
    if (ts.isExpressionWithTypeArguments(node) && isClassExtends(node)) {
      visit(node.expression, isType)
      return
    }
    ts.forEachChild(node, (child) => visit(child, isType))
  }
  visit(source, false)
  return found
}

function isClassExtends(node: ts.ExpressionWithTypeArguments): boolean {
  return ts.isHeritageClause(node.parent) && node.parent.token === ts.SyntaxKind.ExtendsKeyword && ts.isClassLike(node.parent.parent)
}

/**
 * Names that resolve through an object, never through a scope: `o.name`, `A.B` in a qualified name, object literal and
 * class member names, `{ name: local }` in a pattern, JSX attribute names, labels, `new.target`, the imported name of
 * `import { name as local }`. Left out before the checker is asked: it would type-check the object to find a member.
 */
function isMemberName(node: ts.Identifier): boolean {
  const parent = node.parent
  if ((ts.isPropertyAccessExpression(parent) || ts.isJsxAttribute(parent) || ts.isEnumMember(parent)) && parent.name === node) return true
  if (ts.isQualifiedName(parent)) return parent.right === node
  if (ts.isClassElement(parent) || ts.isObjectLiteralElement(parent) || ts.isTypeElement(parent)) {
    // A shorthand property's name is its value.
    return !ts.isShorthandPropertyAssignment(parent) && !ts.isSpreadAssignment(parent) && parent.name === node
  }
  if (ts.isBindingElement(parent) || ts.isImportSpecifier(parent)) return parent.propertyName === node
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return parent.label === node
  return ts.isMetaProperty(parent)
}

function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent
  return (
    (ts.isVariableDeclaration(parent) || ts.isBindingElement(parent) || ts.isFunctionDeclaration(parent)) &&
    parent.name === node
  )
}

/** `offset` as `line:column name…` of `code`, for failure messages that point into the file. */
export function where(code: string, offset: number): string {
  const before = code.slice(0, offset)
  return `${before.split('\n').length}:${offset - before.lastIndexOf('\n')} ${code.slice(offset, offset + 20).split('\n')[0]}`
}

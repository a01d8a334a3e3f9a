/**
 * The scope analysis checked against an oracle: TypeScript's own binder and checker resolve every identifier of a
 * corpus of real files, and the references to the file's top-level bindings (`const`, `let`, `var`, functions) that
 * TypeScript finds in value positions must be exactly the ones the analysis rewrites.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseSync } from 'oxc-parser'
import ts from 'typescript'
import { describe, expect, test } from 'vitest'
import { analyseReferences } from '../../plugin/transform/scope.ts'
import { singleFile, valueIdentifiers, where } from './transform-oracle.ts'

/** The start offsets of the references TypeScript resolves to a top-level const/let of `fileName`, by name. */
function oracle(fileName: string, code: string): { names: Set<string>; references: number[]; exports: number[] } {
  const file = singleFile(fileName, code)
  const { source, checker } = file
  const declared = new Map<ts.Symbol, string>()
  for (const statement of source.statements) {
    // Function declarations widen the sample; classes are left out, as their bodies see an inner binding of the name.
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) {
      const symbol = checker.getSymbolAtLocation(statement.name)
      if (symbol) declared.set(symbol, statement.name.text)
    }
    if (!ts.isVariableStatement(statement)) continue
    if (statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) continue
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name)) continue
      const symbol = checker.getSymbolAtLocation(declaration.name)
      if (symbol) declared.set(symbol, declaration.name.text)
    }
  }
  const references: number[] = []
  const exports: number[] = []
  for (const { offset, symbol, exported } of valueIdentifiers(file)) {
    if (symbol && declared.has(symbol)) (exported ? exports : references).push(offset)
  }
  return { names: new Set(declared.values()), references: references.sort((a, b) => a - b), exports: exports.sort((a, b) => a - b) }
}

function analysis(fileName: string, code: string, names: Set<string>): { references: number[]; exports: number[] } {
  const lang = fileName.endsWith('.tsx') ? 'tsx' : fileName.endsWith('.ts') ? 'ts' : 'js'
  const { program, errors } = parseSync(fileName, code, { lang, sourceType: 'module', astType: 'ts' })
  expect(errors).toStrictEqual([])
  const result = analyseReferences(program as never, names)
  return {
    references: result.references.map((r) => r.node.start as number).sort((a, b) => a - b),
    exports: result.exports.map((n) => n.start as number).sort((a, b) => a - b),
  }
}

const CORPUS = [
  'magic-string/dist/index.mjs',
  '@jridgewell/trace-mapping/src/trace-mapping.ts',
  '@jridgewell/trace-mapping/src/flatten-map.ts',
  '@jridgewell/sourcemap-codec/src/scopes.ts',
  'vite/dist/node/chunks/lib.js',
]

const SNIPPETS: Record<string, string> = {
  'shadowing.ts': `
    const x = 1, y = 2
    let z = 3
    function a(x: number, { y }: { y: number }, w = z) { return x + y + w }
    function b() { z++; var y = 4; { let x = 5; y = x } return [x, y] }
    const c = (z: number) => z + x
    class K<T> extends Array<typeof x> { [x] = y; m(y: T) { return y } static { var z = 1 } }
    try { throw x } catch (z) { z } finally { z }
    for (let x = 0; x < y; x++) for (const y of [x]) z += y
    label: { break label }
    const o = { x, y: z, [y]: x, z() { return z } }
    ;({ x: z, ...o.rest } = { x, y } as any)
    enum E { A = 1, B = A, C = x }
    namespace N { export const q = y }
    export { z as zed }
    export default x
    const el = { t: typeof y }
    type T = typeof y
    function d() { return y; function y() {} }
  `,
}

describe('scope analysis agrees with the TypeScript checker', () => {
  test.each(CORPUS)('node_modules/%s', (file) => {
    const path = fileURLToPath(new URL(`../../node_modules/${file}`, import.meta.url))
    compare(path, readFileSync(path, 'utf8'))
  })

  test.each(Object.entries(SNIPPETS))('%s', (name, code) => compare(`/snippets/${name}`, code))
})

function compare(fileName: string, code: string): void {
  const expected = oracle(fileName, code)
  expect(expected.names.size).toBeGreaterThan(0)
  const actual = analysis(fileName, code, expected.names)
  const at = (offsets: number[]): string[] => offsets.map((offset) => where(code, offset))
  expect(at(actual.references)).toStrictEqual(at(expected.references))
  expect(at(actual.exports)).toStrictEqual(at(expected.exports))
}

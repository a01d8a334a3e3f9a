/**
 * The test-file transform: markers are read, attached and checked; marked bindings are re-bound; marked tests and
 * suites are wrapped; the prologue is injected and the other top-level bindings are registered as module roots at the
 * end. Pure: no Vite, no file system.
 */
import { relative } from 'node:path'
import MagicString from 'magic-string'
import { FILE_LOCAL } from '../../runtime/names.ts'
import { attachMarkers } from './attach.ts'
import type { TestMark } from './attach.ts'
import { MarkerError, ProblemList } from './errors.ts'
import { LineIndex } from './lines.ts'
import { hasMarker, readMarkers } from './markers.ts'
import { cleanId, parseModule } from './parse.ts'
import { insertPrologue, prologue } from './prologue.ts'
import { markedNames, rewriteDeclarations, rewriteReferences } from './rebind.ts'
import { moduleRoots, rootsEpilogue } from './roots.ts'
import { analyseReferences } from './scope.ts'
import type { TransformOptions, TransformResult } from './types.ts'

/**
 * Transforms a test file: returns `null` when there is nothing to add (no markers, `'marked'` mode, no declared
 * resources), throws a `MarkerError` listing every misplaced marker, and otherwise returns the rewritten code with a
 * high-resolution source map.
 *
 * @example
 * const result = transformTestFile(code, '/repo/tests/a.test.ts', { root: '/repo', mode: 'marked', runtimeId: 'vitest-isolation/runtime', resources: [] })
 */
export function transformTestFile(code: string, id: string, options: TransformOptions): TransformResult | null {
  const mayHaveMarkers = hasMarker(code)
  if (!mayHaveMarkers && options.mode === 'marked') {
    // Declared resources are on `ctx` in every test of an included file, marked or not: the prologue tells the runtime
    // about them, so such a file gets it — and nothing else, so it needs no parse. Appended after the last line (imports
    // are hoisted, and the runtime needs the file's handle only when its tests run), it moves no original code, so the
    // map is null: no map to build. Without resources the file stays untouched.
    if (options.resources.length === 0) return null
    return { code: `${code}\n;${prologue(relativeFile(options.root, id), false, options.runtimeId, options.resources)}\n`, map: null }
  }
  const file = relativeFile(options.root, id)
  const { program, comments } = parseModule(code, id, file)
  const lines = new LineIndex(code)
  if (!mayHaveMarkers) {
    // Mode 'all' without marker text: nothing to read, only the prologue and the roots to add.
    const s = new MagicString(code)
    insertPrologue(code, s, prologue(file, true, options.runtimeId, options.resources))
    s.append(rootsEpilogue(moduleRoots(program, new Set(), lines)))
    return { ...result(s, id), opens: true }
  }

  const problems = new ProblemList(code, lines)
  const markers = readMarkers(program, comments, problems)
  const attached = attachMarkers(code, program, comments, markers.isolate, problems)
  const marked = markedNames(attached.bindings)
  const analysis = marked.size > 0 ? analyseReferences(program, marked) : undefined
  for (const node of analysis?.exports ?? []) {
    problems.add(
      node.start,
      `The marked binding "${node.name}" is exported`,
      'A marked binding has one value per test, which an importing module cannot see through an import.',
      'Remove the export (export a function that creates the value instead), or remove the marker.',
    )
  }
  if (problems.problems.length > 0) throw new MarkerError(id, file, problems.problems)

  const isolateAll = markers.fileMarked || options.mode === 'all'
  if (options.resources.length === 0 && !isolateAll && attached.tests.length === 0 && attached.bindings.length === 0) return null
  // Analysed and checked: only now is a MagicString worth creating.
  const s = new MagicString(code)
  if (analysis) rewriteReferences(s, analysis.references)
  rewriteDeclarations(code, s, attached.bindings, lines)
  wrapTests(s, attached.tests, lines)
  insertPrologue(code, s, prologue(file, isolateAll, options.runtimeId, options.resources))
  s.append(rootsEpilogue(moduleRoots(program, marked, lines)))
  return { ...result(s, id), rebound: marked, opens: true }
}

function wrapTests(s: MagicString, tests: TestMark[], lines: LineIndex): void {
  for (const { call } of tests) {
    const { line, column } = lines.position(call.start)
    s.appendLeft(call.start, `${FILE_LOCAL}.mark(${line}, ${column}, () => `)
    s.prependRight(call.end, ')')
  }
}

/** The magic-string output with its hi-res map; `source` is the module id, as Vite expects. */
export function result(s: MagicString, id: string): TransformResult {
  return { code: s.toString(), map: s.generateMap({ hires: 'boundary', source: id, includeContent: true }) }
}

/** The file as it appears in generated metadata and messages: relative to the root, with `/` separators. */
export function relativeFile(root: string, id: string): string {
  const path = cleanId(id)
  if (!root) return path.replaceAll('\\', '/')
  return relative(root, path).replaceAll('\\', '/')
}


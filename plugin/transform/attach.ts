/**
 * Attaching `@isolate` markers to what stands directly below them: a test or suite call (anywhere, also inside
 * `describe` bodies) or a top-level `const`/`let` declaration. Everything else is reported as a problem.
 */
import type { Comment } from 'oxc-parser'
import { visitorKeys } from 'oxc-parser'
import type { ProblemList } from './errors.ts'
import type { IsolateMarker } from './markers.ts'
import { calleeText, isTestCall, testFunctionNames } from './test-calls.ts'
import type { AnyNode } from './types.ts'

/** A marked test or suite call: the expression statement's call is wrapped in `mark(...)`. */
export interface TestMark {
  call: AnyNode
}

/** A marked top-level declaration; each of its declarators is re-bound per test. */
export interface BindingMark {
  declaration: AnyNode
}

/** What the markers of a file attach to. */
export interface Attached {
  tests: TestMark[]
  bindings: BindingMark[]
}

const ATTACHES_TO =
  'A marker attaches to the statement directly below it (only comments may stand between), which must be a call of ' +
  'test/it/describe/suite — with any chain such as .concurrent, .only, .skip, .each(…)(…), .for(…)(…) — or of a ' +
  'function made by test.extend(…) in this file, or a top-level const or let declaration.'
const MOVE_OR_DELETE = 'Move the marker directly above a test or suite call or a top-level const/let, or delete it.'

/** Finds what each marker attaches to, reporting markers that attach to nothing allowed. */
export function attachMarkers(
  code: string,
  program: AnyNode,
  comments: Comment[],
  markers: IsolateMarker[],
  problems: ProblemList,
): Attached {
  const attached: Attached = { tests: [], bindings: [] }
  const seen = new Set<AnyNode>()
  let names: Set<string> | undefined
  for (const marker of markers) {
    const at = marker.comment.start
    const next = nextCode(code, marker.comment.end, comments, marker.index + 1)
    if (next.offset >= code.length) {
      problems.add(at, 'The @isolate marker at the end of the file is not attached to anything', ATTACHES_TO, MOVE_OR_DELETE)
      continue
    }
    const found = outermostAt(program, next.offset)
    if (!found || !/(?:Statement|Declaration)$/.test(found.node.type)) {
      problems.add(at, 'The @isolate marker is not attached to anything: no statement starts below it', ATTACHES_TO, MOVE_OR_DELETE)
      continue
    }
    if (next.newline && followsCode(code, at)) {
      // `foo() // @isolate` reads as annotating foo(); attaching it to the next line's statement would surprise.
      problems.add(
        at,
        'The @isolate marker ends a line of code instead of standing above a statement',
        ATTACHES_TO,
        'Put the marker on its own line directly above the statement it marks.',
      )
      continue
    }
    if (next.blankLine) {
      problems.add(
        at,
        'The @isolate marker is separated from the statement below it by a blank line',
        ATTACHES_TO,
        'Remove the blank line between the marker and the statement.',
      )
      continue
    }
    const { node, parent } = found
    // Two markers above one statement mean the same as one.
    if (seen.has(node)) continue
    seen.add(node)
    if (node.type === 'ExpressionStatement') {
      names ??= testFunctionNames(program)
      if (isTestCall(node.expression, names)) attached.tests.push({ call: node.expression })
      else problems.add(at, notATestMessage(code, node.expression), ATTACHES_TO, notATestFix(code, node.expression))
    } else if (node.type === 'VariableDeclaration') {
      if (checkDeclaration(node, parent, at, problems)) attached.bindings.push({ declaration: node })
    } else if (node.type === 'ExportNamedDeclaration' && node.declaration?.type === 'VariableDeclaration') {
      const exported = declaredNames(code, node.declaration)
      problems.add(
        at,
        exported.length === 1
          ? `The marked binding ${exported[0]} is exported`
          : `The marked bindings ${exported.join(', ')} are exported`,
        'A marked binding has one value per test, which an importing module cannot see through an import.',
        'Remove the export (export a function that creates the value instead), or remove the marker.',
      )
    } else {
      problems.add(at, `The @isolate marker is above ${describeNode(node.type)}`, ATTACHES_TO, MOVE_OR_DELETE)
    }
  }
  return attached
}

function checkDeclaration(node: AnyNode, parent: AnyNode, at: number, problems: ProblemList): boolean {
  if (parent.type !== 'Program') {
    problems.add(
      at,
      `The @isolate marker is above a ${node.kind} declaration inside a function or block`,
      'Only top-level const and let bindings can be marked; a binding inside a function or block is created afresh each time that code runs anyway.',
      'Move the declaration to the top level of the module, or delete the marker.',
    )
    return false
  }
  if (node.kind !== 'const' && node.kind !== 'let') {
    problems.add(
      at,
      `The @isolate marker is above a "${node.kind}" declaration`,
      'Only const and let declarations can be marked.',
      node.kind === 'var' ? 'Declare the binding with const or let.' : MOVE_OR_DELETE,
    )
    return false
  }
  if (node.declare) {
    problems.add(at, 'The @isolate marker is above an ambient (declare) declaration', 'An ambient declaration has no value at run time.', 'Delete the marker.')
    return false
  }
  let ok = true
  for (const declarator of node.declarations as AnyNode[]) {
    if (declarator.id.type !== 'Identifier') {
      problems.add(
        declarator.id.start,
        'The marked declaration destructures its value',
        'A marker re-binds named bindings one by one; destructuring patterns cannot be re-bound per test.',
        'Mark a plain binding (`const value = …`) and read its properties, or give each name its own marked declaration.',
      )
      ok = false
    } else if (declarator.init) {
      const awaited = findAwait(declarator.init)
      if (awaited) {
        problems.add(
          awaited.start,
          `The initializer of the marked binding "${declarator.id.name}" uses await`,
          'A marked binding’s initializer runs lazily and synchronously, on the first read in each test.',
          'Make the initializer synchronous. For asynchronous set-up declare a resource (async factories are awaited before beforeEach), or assign a marked let in beforeEach.',
        )
        ok = false
      }
    }
  }
  return ok
}

/** The first `await` evaluated by `node` itself, not inside a nested function. */
function findAwait(node: AnyNode): AnyNode | undefined {
  if (node.type === 'AwaitExpression') return node
  if (node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') return undefined
  for (const key of visitorKeys[node.type as keyof typeof visitorKeys] ?? []) {
    const value = node[key]
    if (value === null || typeof value !== 'object') continue
    for (const child of Array.isArray(value) ? value : [value]) {
      const found = child ? findAwait(child) : undefined
      if (found) return found
    }
  }
  return undefined
}

function notATestMessage(code: string, expression: AnyNode): string {
  const callee = calleeText(code, expression)
  return callee === undefined
    ? 'The @isolate marker is above an expression that is not a test or suite call'
    : `The @isolate marker is above a call of "${callee}", which is not a test or suite call`
}

function notATestFix(code: string, expression: AnyNode): string {
  const callee = calleeText(code, expression)
  if (callee === undefined) return MOVE_OR_DELETE
  if (/\.(?:each|for|skipIf|runIf|extend)$/.test(callee))
    return `${callee}(…) makes a test function but defines no test by itself: mark the call of its result (\`${callee}(…)(name, fn)\`), or delete the marker.`
  return (
    `${MOVE_OR_DELETE} If "${callee}" defines tests, mark the test calls inside it; a function made by ` +
    'test.extend(…) in another module is not recognised: mark the file with @vitest-isolate instead.'
  )
}

function declaredNames(code: string, declaration: AnyNode): string[] {
  return (declaration.declarations as AnyNode[]).map(
    (d) => `"${code.slice(d.id.start, d.id.typeAnnotation ? d.id.typeAnnotation.start : d.id.end)}"`,
  )
}

function describeNode(type: string): string {
  const words = type
    .replace(/^TS/, 'TypeScript ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
  return `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`
}

/** Whether code (not only whitespace) stands before `offset` on its line. */
function followsCode(code: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = code.charCodeAt(i)
    if (c === 10) return false
    if (!isSpace(c)) return true
  }
  return false
}

/**
 * The offset of the next code after `from`, skipping whitespace and comments; whether a line break, and whether a blank
 * line, lies between.
 */
function nextCode(
  code: string,
  from: number,
  comments: Comment[],
  nextComment: number,
): { offset: number; newline: boolean; blankLine: boolean } {
  let offset = from
  let newline = false
  let blankLine = false
  for (;;) {
    let newlines = 0
    while (offset < code.length && isSpace(code.charCodeAt(offset))) {
      if (code.charCodeAt(offset) === 10) newlines++
      offset++
    }
    if (newlines > 0) newline = true
    if (newlines > 1) blankLine = true
    const comment = comments[nextComment]
    if (comment === undefined || comment.start !== offset) return { offset, newline, blankLine }
    offset = comment.end
    nextComment++
  }
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029 || (c > 0x7f && /\s/.test(String.fromCharCode(c)))
}

/** The outermost node that starts exactly at `offset`, and its parent, found by descending through the nodes that contain it. */
function outermostAt(program: AnyNode, offset: number): { node: AnyNode; parent: AnyNode } | undefined {
  let current = program
  for (;;) {
    const child = childContaining(current, offset)
    if (child === undefined) return undefined
    if (child.start === offset) return { node: child, parent: current }
    current = child
  }
}

function childContaining(node: AnyNode, offset: number): AnyNode | undefined {
  const keys = visitorKeys[node.type as keyof typeof visitorKeys] ?? []
  for (const key of keys) {
    const value = node[key]
    if (value === null || typeof value !== 'object') continue
    if (Array.isArray(value)) {
      for (const item of value) if (item && item.start <= offset && offset < item.end) return item
    } else if (value.start <= offset && offset < value.end) return value
  }
  return undefined
}

/**
 * Where a test is declared, found when a finding or a cause first needs the line — not for every test.
 *
 * Vitest can record every test's declaration line itself (`includeTaskLocation`), but it does so by formatting a
 * source-mapped stack for each test at collection: on the bench suite that is most of what the plugin costs when nothing
 * is declared. When the user has not turned that on, the runtime reads the test file's source once, on first need, lists
 * its `test`/`it`/`describe`/`suite` calls (any modifier chain, `.each`/`.for`/`.skipIf`/`.runIf`, a name bound by
 * `.extend`, an alias imported as one of them), and matches the task by its name and the names of its suites.
 *
 * The place is the one V8 gives the call, so it is the line and column Vitest reports with `includeTaskLocation`: the
 * callee's name for `test(…)`, the last property for `test.skip(…)`, the opening parenthesis for `test.each(rows)(…)`.
 * A test whose place cannot be told apart (a computed name shared by several calls, a test declared in a helper) has none.
 */
import { readFileSync } from 'node:fs'
import type { RunnerTestCase, RunnerTestFile, RunnerTestSuite } from 'vitest'

/** A line and column, both 1-based. */
export interface Declared {
  line: number
  column: number
}

type Node = { type: string; start: number; end: number; [key: string]: unknown }

/** One `test(…)` / `describe(…)` call of a file. */
interface Call {
  kind: 'test' | 'suite'
  /** Matches the task names the call can make; `null` when its name is computed. */
  name: RegExp | null
  start: number
  end: number
  at: Declared
}

const SUITE_ROOTS = new Set(['describe', 'suite'])
const TEST_ROOTS = new Set(['test', 'it', 'bench'])
// Calls in a chain whose result declares the tests: `test.each(rows)('name %s', fn)`, `test.skipIf(cond)('name', fn)`.
const CALL_LINKS = new Set(['each', 'for', 'skipIf', 'runIf'])
// The ones after which Vitest formats the name with each row (`%s`, `$name`).
const FORMATTING = new Set(['each', 'for'])
// Modifiers read as properties: `test.concurrent.skip(…)`. Anything else (`test.extend(…)`, `test.scoped(…)`) declares no test.
const MODIFIERS = new Set(['only', 'skip', 'todo', 'concurrent', 'sequential', 'fails', 'shuffle'])

const byFile = new WeakMap<RunnerTestFile, Call[] | null>()

let parseSync: ((path: string, code: string, options: object) => { program: Node; errors: { severity: string }[] }) | undefined

// Loaded on first need (a finding in a run without task locations), not with the runtime. Node's own `require`: the vm
// pools give modules one that cannot load an ES module, and the parser needs nothing of the test's context.
function loadParser(): NonNullable<typeof parseSync> {
  const { createRequire } = process.getBuiltinModule('node:module')
  return (createRequire(import.meta.url)('oxc-parser') as { parseSync: NonNullable<typeof parseSync> }).parseSync
}

const JS = new Set(['js', 'mjs', 'cjs', 'jsx'])

function parse(path: string, code: string): Node | undefined {
  parseSync ??= loadParser()
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase()
  // JavaScript is read as JSX (its superset); anything else that is not TSX as TypeScript.
  const lang = ext === 'tsx' ? 'tsx' : JS.has(ext) ? 'jsx' : 'ts'
  const result = parseSync(path, code, { lang, sourceType: 'module', astType: 'ts', preserveParens: false })
  return result.errors.some((e) => e.severity === 'Error') ? undefined : result.program
}

/** Where `task` is declared in its file: Vitest's own location when it recorded one, else read from the source. */
export function declaredAt(task: RunnerTestCase): Declared | undefined {
  if (task.location) return { line: task.location.line, column: task.location.column }
  const calls = callsOf(task.file)
  if (calls === null || calls.length === 0) return undefined
  const chain = suiteNames(task)
  const tests = calls.filter((call) => call.kind === 'test')
  // Names first (a literal, or a template or `.each` pattern): inside the suites the task is in, by their names; else by
  // its own name alone (a test declared in a helper function).
  const named = tests.filter((call) => call.name !== null && call.name.test(task.name))
  if (named.length > 0) {
    const nested = named.filter((call) => suitesMatch(enclosingSuites(call, calls), chain))
    return pick(nested.length > 0 ? nested : named, task)?.at
  }
  return computedCall(task, tests.filter((call) => suitesMatch(enclosingSuites(call, calls), chain)))?.at
}

/**
 * A test no named call matches, from a call with a computed name (`test(name, …)`) in its suite: only when the suite's
 * tests that no named call matches are exactly as many as those calls, each then the one in its order. Otherwise (a
 * computed `.each`, or a name Vitest formats in a way the patterns do not read) it has no place: a wrong line would be
 * worse than none.
 */
function computedCall(task: RunnerTestCase, calls: Call[]): Call | undefined {
  const computed = calls.filter((call) => call.name === null)
  if (computed.length === 0) return undefined
  const named = calls.filter((call) => call.name !== null)
  const unmatched = (task.suite ?? task.file).tasks.filter((t) => t.type === 'test' && !named.some((call) => call.name!.test(t.name)))
  return unmatched.length === computed.length ? computed[unmatched.indexOf(task)] : undefined
}

/** One call; several distinct calls only when the task's rank among its same-named siblings picks one of as many. */
function pick(calls: Call[], task: RunnerTestCase): Call | undefined {
  if (calls.length === 1) return calls[0]
  if (calls.length === 0) return undefined
  const siblings = (task.suite ?? task.file).tasks.filter((t) => t.type === 'test' && t.name === task.name)
  return siblings.length === calls.length ? calls[siblings.indexOf(task)] : undefined
}

function isFile(suite: RunnerTestSuite | RunnerTestFile): boolean {
  return 'filepath' in suite
}

/** The names of the suites `task` is in, outermost first. */
function suiteNames(task: RunnerTestCase): string[] {
  const names: string[] = []
  for (let suite = task.suite; suite !== undefined && !isFile(suite); suite = suite.suite) names.unshift(suite.name)
  return names
}

function enclosingSuites(call: Call, calls: Call[]): Call[] {
  return calls.filter((other) => other.kind === 'suite' && other.start < call.start && call.end <= other.end)
}

function suitesMatch(suites: Call[], names: string[]): boolean {
  return suites.length === names.length && suites.every((suite, i) => suite.name === null || suite.name.test(names[i]))
}

function callsOf(file: RunnerTestFile): Call[] | null {
  let calls = byFile.get(file)
  if (calls !== undefined) return calls
  calls = null
  try {
    const code = readFileSync(file.filepath, 'utf8')
    const program = parse(file.filepath, code)
    if (program !== undefined) calls = listCalls(program, code)
  } catch {
    // An unreadable or unparsable file: its tests have no line.
  }
  byFile.set(file, calls)
  return calls
}

function listCalls(program: Node, code: string): Call[] {
  const roots = rootNames(program)
  const lines = lineStarts(code)
  const calls: Call[] = []
  visit(program, (node) => {
    if (node.type !== 'CallExpression') return
    const call = declarationCall(node, roots, code, lines)
    if (call !== undefined) calls.push(call)
  })
  return calls.sort((a, b) => a.start - b.start)
}

/** Names that declare tests or suites: Vitest's own, aliases imported as them, and tests made by `.extend(…)`. */
function rootNames(program: Node): Map<string, Call['kind']> {
  const roots = new Map<string, Call['kind']>()
  for (const name of SUITE_ROOTS) roots.set(name, 'suite')
  for (const name of TEST_ROOTS) roots.set(name, 'test')
  visit(program, (node) => {
    if (node.type === 'ImportSpecifier') {
      const imported = node.imported as Node & { name?: string; value?: string }
      const name = imported.name ?? imported.value
      const local = (node.local as Node & { name: string }).name
      if (name !== undefined && SUITE_ROOTS.has(name)) roots.set(local, 'suite')
      else if (name !== undefined && TEST_ROOTS.has(name)) roots.set(local, 'test')
    } else if (node.type === 'VariableDeclarator') {
      const id = node.id as Node & { name?: string }
      if (id.type === 'Identifier' && id.name !== undefined && isExtend(node.init as Node | null)) roots.set(id.name, 'test')
    }
  })
  return roots
}

function isExtend(init: Node | null): boolean {
  if (init?.type !== 'CallExpression') return false
  const callee = init.callee as Node
  return callee.type === 'MemberExpression' && propertyName(callee) === 'extend'
}

function propertyName(member: Node): string | undefined {
  if (member.computed === true) return undefined
  return (member.property as Node & { name?: string }).name
}

function declarationCall(node: Node, roots: Map<string, Call['kind']>, code: string, lines: number[]): Call | undefined {
  const outer = node.callee as Node
  let callee = outer
  let formatting = false
  for (;;) {
    if (callee.type === 'CallExpression') {
      const link = callee.callee as Node
      const name = link.type === 'MemberExpression' ? propertyName(link) : undefined
      if (name === undefined || !CALL_LINKS.has(name)) return undefined
      formatting ||= FORMATTING.has(name)
      callee = link.object as Node
    } else if (callee.type === 'MemberExpression') {
      const name = propertyName(callee)
      if (name === undefined || !MODIFIERS.has(name)) return undefined
      callee = callee.object as Node
    } else break
  }
  if (callee.type !== 'Identifier') return undefined
  const kind = roots.get((callee as Node & { name: string }).name)
  if (kind === undefined) return undefined
  const args = node.arguments as Node[]
  if (args.length === 0) return undefined
  return { kind, name: namePattern(args[0], formatting), start: node.start, end: node.end, at: position(callPosition(node, outer, code), lines) }
}

/** Where V8 places the call: the callee's name, the last property of a member callee, else the arguments' parenthesis. */
function callPosition(node: Node, callee: Node, code: string): number {
  if (callee.type === 'Identifier') return callee.start
  if (callee.type === 'MemberExpression') return (callee.property as Node).start
  const from = (node.typeArguments as Node | null | undefined)?.end ?? callee.end
  const paren = code.indexOf('(', from)
  return paren === -1 ? node.start : paren
}

const ESCAPED = /[.*+?^${}()|[\]\\]/g
// Vitest's `.each`/`.for` name formats: printf-style (`%s`, `%i`, `%#`…; `%%` is a `%`) and `$variable` / `$0.path`.
const FORMAT = /%%|%[sdifjoOc#$]|\$[\w.[\]]+/g

function literalPattern(text: string, formatting: boolean): string {
  const escape = (part: string): string => part.replace(ESCAPED, '\\$&')
  if (!formatting) return escape(text)
  let pattern = ''
  let last = 0
  for (const match of text.matchAll(FORMAT)) {
    pattern += escape(text.slice(last, match.index)) + (match[0] === '%%' ? '%' : '[\\s\\S]*?')
    last = match.index + match[0].length
  }
  return pattern + escape(text.slice(last))
}

function namePattern(arg: Node, formatting: boolean): RegExp | null {
  if (arg.type === 'Literal' && typeof arg.value === 'string') return new RegExp(`^${literalPattern(arg.value, formatting)}$`)
  if (arg.type === 'TemplateLiteral') {
    const quasis = (arg.quasis as (Node & { value: { cooked: string | null; raw: string } })[]).map((q) =>
      literalPattern(q.value.cooked ?? q.value.raw, formatting),
    )
    return new RegExp(`^${quasis.join('[\\s\\S]*?')}$`)
  }
  return null
}

function lineStarts(code: string): number[] {
  const starts = [0]
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i)
    if (c === 10) starts.push(i + 1)
    else if (c === 13 && code.charCodeAt(i + 1) !== 10) starts.push(i + 1)
  }
  return starts
}

function position(offset: number, starts: number[]): Declared {
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const mid = (low + high + 1) >> 1
    if (starts[mid] <= offset) low = mid
    else high = mid - 1
  }
  return { line: low + 1, column: offset - starts[low] + 1 }
}

function visit(node: unknown, enter: (node: Node) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) visit(child, enter)
    return
  }
  if (typeof node !== 'object' || node === null) return
  if (typeof (node as Node).type === 'string') enter(node as Node)
  for (const key in node) {
    if (key === 'parent') continue
    const value = (node as Record<string, unknown>)[key]
    if (typeof value === 'object' && value !== null) visit(value, enter)
  }
}

// What `migrate` can fix with markers alone, and what it tells people to fix by hand.
//
// A marker fixes state that a test file's own top-level `const`/`let` holds and that several tests share: marked with
// `// @isolate`, the binding is per test. The runtime names such a binding two ways — a `shared-instance` finding whose
// origin is a test file's module scope (a declared resource made at the top level), and a journal cause whose state is
// a binding declared in a test file. Everything else (globals, environment, source modules, hooks) is listed with the fix
// to apply by hand.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import type { Finding, Place, StateChange } from '../../runtime/report/types.ts'

export const MARKER = '// @isolate'

/** One marker to insert: above `line` (1-based) of `file` (relative to the root). */
export interface MarkerChange {
  file: string
  line: number
  marker: string
  reason: string
  /** `written` by `--write`; `proposed` without it; `skipped` when the file changed on disk during the run. */
  status: 'proposed' | 'written' | 'skipped'
}

/** A top-level declaration a binding marker can attach to: `const x =`, `let x:` … at column 0, not exported. */
const MARKABLE = /^(?:const|let)\s+([A-Za-z_$][\w$]*)\s*[:=;]/

/** The test files' contents when `migrate` started: a file that differs at write time is not written. */
export class Sources {
  private readonly hashes = new Map<string, string>()

  constructor(private readonly root: string) {}

  /** Remembers the content of `file` (relative) now, once. */
  remember(file: string): void {
    if (this.hashes.has(file)) return
    const text = this.read(file)
    if (text !== null) this.hashes.set(file, hash(text))
  }

  read(file: string): string | null {
    try {
      return fs.readFileSync(path.join(this.root, file), 'utf8')
    } catch {
      return null
    }
  }

  unchanged(file: string, text: string): boolean {
    return this.hashes.get(file) === hash(text)
  }
}

function hash(text: string): string {
  return crypto.createHash('sha1').update(text).digest('hex')
}

/**
 * The marker for the binding declared at `file:line`, when the line is a declaration a marker attaches to and is not
 * marked already; `null` otherwise.
 */
export function markerAt(sources: Sources, file: string, line: number, reason: string): MarkerChange | null {
  const text = sources.read(file)
  if (text === null) return null
  const lines = text.split(/\r?\n/)
  const declaration = lines[line - 1]
  if (declaration === undefined || !MARKABLE.test(declaration)) return null
  if (/@isolate\b/.test(lines[line - 2] ?? '')) return null
  return { file, line, marker: MARKER, reason, status: 'proposed' }
}

/** An initializer that is a function: `= () =>`, `= async (x) =>`, `= x =>`, `= function`. */
const FUNCTION_INITIALIZER = /^\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*(?::[^=]+)?=>|[A-Za-z_$][\w$]*\s*=>)/

/**
 * The other top-level bindings of `file` that must be marked with `changes` (all of that file): a binding whose
 * initializer reads a marked one is evaluated at the top level, where no test is current, and would throw. Read from the
 * lines (a declaration runs until the next line that starts a statement at column 0), closed over chains.
 */
export function dependentMarkers(sources: Sources, file: string, changes: readonly MarkerChange[]): MarkerChange[] {
  const text = sources.read(file)
  if (text === null) return []
  const lines = text.split(/\r?\n/)
  const declarations: { line: number; name: string; body: string }[] = []
  for (let i = 0; i < lines.length; i++) {
    const name = MARKABLE.exec(lines[i])?.[1]
    if (name === undefined) continue
    let end = i + 1
    while (end < lines.length && (lines[end] === '' || /^[\s.)\]}]/.test(lines[end]))) end++
    declarations.push({ line: i + 1, name, body: [lines[i].slice(lines[i].indexOf(name) + name.length), ...lines.slice(i + 1, end)].join('\n') })
  }
  const marked = new Set<string>()
  for (const change of changes) {
    const declaration = declarations.find((d) => d.line === change.line)
    if (declaration) marked.add(declaration.name)
  }
  const added: MarkerChange[] = []
  for (let grew = true; grew; ) {
    grew = false
    for (const declaration of declarations) {
      // A function's body reads the marked binding when it is called, in a test: it needs no marker.
      if (marked.has(declaration.name) || FUNCTION_INITIALIZER.test(declaration.body)) continue
      const reads = [...marked].find((name) => new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(declaration.body))
      if (reads === undefined) continue
      const change = markerAt(sources, file, declaration.line, `its initializer reads \`${reads}\`, marked too (a marked binding exists only inside a test)`)
      marked.add(declaration.name)
      grew = true
      if (change) added.push(change)
    }
  }
  return added
}

/** The binding a finding names, when it is a test file's top-level instance: `file:line` and its name. */
export function findingBinding(finding: Finding, testFiles: ReadonlySet<string>): { file: string; line: number; reason: string } | null {
  const origin = finding.origin
  if (origin.test !== null || origin.hook !== undefined || origin.line === undefined || !testFiles.has(origin.file)) return null
  const what = finding.resource ? `the ${finding.resource} made at the top level` : 'an object made at the top level'
  return { file: origin.file, line: origin.line, reason: `${finding.kind}: ${what} (${finding.object}) is used by several tests` }
}

/**
 * The binding a journal cause names, when it is declared in a test file and a test (or a `beforeEach`/`afterEach`) of
 * it changed it: `file:line`. What the file's top level or `beforeAll` set up is shared by design, and a change the
 * journal could only place in the file (`inFile`) is too vague to write a marker for.
 */
export function causeBinding(cause: StateChange, testFiles: ReadonlySet<string>): { file: string; line: number; reason: string } | null {
  if (cause.module === undefined || cause.inFile === true) return null
  if (cause.by.test === null && cause.by.hook !== 'beforeEach' && cause.by.hook !== 'afterEach') return null
  const at = /^(.*):(\d+)$/.exec(cause.module)
  if (!at || !testFiles.has(at[1])) return null
  return { file: at[1], line: Number(at[2]), reason: `\`${cause.state}\` is changed by one test and read by another (${describeBy(cause.by)})` }
}

/** Inserts the markers of `changes` (all of one file) if the file is as it was when `migrate` started. */
export function writeMarkers(sources: Sources, root: string, file: string, changes: MarkerChange[]): boolean {
  const text = sources.read(file)
  if (text === null || !sources.unchanged(file, text)) {
    for (const change of changes) change.status = 'skipped'
    return false
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const lines = text.split(/\r?\n/)
  // Bottom up, so that the line numbers of the others still hold.
  for (const change of [...changes].sort((a, b) => b.line - a.line)) lines.splice(change.line - 1, 0, change.marker)
  fs.writeFileSync(path.join(root, file), lines.join(eol))
  for (const change of changes) change.status = 'written'
  return true
}

/** Who made a change, for people: `test "a > b" (tests/a.test.ts)`, `beforeEach of "suite" (tests/a.test.ts)`. */
export function describeBy(by: Place): string {
  if (by.test !== null) return `test "${by.test}" (${by.file})`
  if (by.hook !== undefined) return `${by.hook}${by.suite ? ` of "${by.suite}"` : ''} (${by.file})`
  return `the top level of ${by.file}`
}

/** The fix to apply by hand for state a cause names. */
export function handFix(cause: StateChange): string {
  const undo = cause.change === 'added' ? `delete \`${cause.state}\`` : `restore \`${cause.state}\``
  const where =
    cause.inFile === true
      ? `in an afterEach or afterAll of ${cause.by.file}`
      : cause.by.hook === 'beforeAll'
        ? 'in an afterAll'
        : cause.by.test === null && cause.by.hook === undefined
          ? 'in an afterAll (and set it in a beforeAll)'
          : 'in an afterEach'
  if (cause.state.startsWith('process.env.')) return `${undo} ${where}, or set it with vi.stubEnv and unstubEnvs: true`
  if (cause.state.startsWith('globalThis.')) return `${undo} ${where}, or set it with vi.stubGlobal and unstubGlobals: true`
  if (cause.module !== undefined) return `${undo} ${where}: ${cause.module.replace(/:\d+$/, '')} keeps it for every later test of the worker`
  return `${undo} ${where}`
}

/**
 * The runtime's errors: `IsolationScopeError` (a per-test value read where no test is running) and `IsolationLeakError`
 * (a finding under `leaks: 'error'`).
 */
import { callerPlace, formatPlace, type SourcePlace } from './location.ts'
import { formatFinding } from './report/format.ts'
import type { Finding } from './report/types.ts'
import { state } from './state.ts'

/** The prefix every error of this package starts with. */
export const ERROR_PREFIX = '[vitest-isolation]'

/**
 * Thrown when a marked binding or a resource is read where no test is current (module top level, a `describe` body,
 * `beforeAll`/`afterAll`), or after its test finished.
 *
 * @example
 * try { useResource('scheme') } catch (error) { if (error instanceof IsolationScopeError) console.log(error.readAt) }
 */
export class IsolationScopeError extends Error {
  override name = 'IsolationScopeError'
  /** `binding "scheme"` or `resource "scheme"`. */
  readonly subject: string
  /** Where the binding was marked (`file:line:column`), or where the resource was declared. */
  readonly declaredAt: string
  /** Where it was read (`file:line:column`), when the stack shows it. */
  readonly readAt: string | undefined

  constructor(message: string, subject: string, declaredAt: string, readAt: string | undefined) {
    super(message)
    this.subject = subject
    this.declaredAt = declaredAt
    this.readAt = readAt
  }
}

const WHERE_VALID =
  'Per-test values exist only while a test runs: in the test, its beforeEach/afterEach/aroundEach hooks and ' +
  'onTestFinished/onTestFailed callbacks — not at module top level, in a describe body, or in beforeAll/afterAll.'

const FIX = 'Fix: move the read into beforeEach or the test (or into a function that they call).'

function readLine(readAt: SourcePlace | undefined, access: 'read' | 'assigned' = 'read'): string {
  const label = access === 'read' ? '  read at     ' : '  assigned at '
  return `${label}${readAt ? formatPlace(readAt) : '(unknown: no frame outside the runtime on the stack)'}`
}

function declaredAtOfResource(name: string): string {
  const options = state.options
  const spec = options?.resources[name]
  const config = options?.configFile ?? 'the Vitest config'
  return spec ? `${config} (resources.${name}: ${spec.module}#${spec.export})` : config
}

/** The error for reading (or assigning) the marked binding `name`, marked at `markedAt`, where no test is running. */
export function bindingScopeError(
  name: string,
  markedAt: SourcePlace,
  finishedTest?: string,
  access: 'read' | 'assigned' = 'read',
): IsolationScopeError {
  const readAt = callerPlace()
  const what = finishedTest
    ? `The marked binding "${name}" was ${access} after its test "${finishedTest}" finished (e.g. by a timer or promise the test left running).`
    : `The marked binding "${name}" was ${access} where no test is running.`
  const message = [
    `${ERROR_PREFIX} ${what}`,
    `  marked at   ${formatPlace(markedAt)} (// @isolate)`,
    readLine(readAt, access),
    WHERE_VALID,
    access === 'read' ? FIX : FIX.replace('the read', 'the assignment'),
  ].join('\n')
  return new IsolationScopeError(message, `binding "${name}"`, formatPlace(markedAt), readAt && formatPlace(readAt))
}

/** The error for reading the resource `name` where no test is running (or after its test finished). */
export function resourceScopeError(name: string, finishedTest?: string): IsolationScopeError {
  const readAt = callerPlace()
  const declaredAt = declaredAtOfResource(name)
  const what = finishedTest
    ? `The resource "${name}" was read after its test "${finishedTest}" finished (e.g. by a timer or promise the test left running).`
    : `The resource "${name}" was read where no test is running.`
  const message = [`${ERROR_PREFIX} ${what}`, `  declared in ${declaredAt}`, readLine(readAt), WHERE_VALID, FIX].join(
    '\n',
  )
  return new IsolationScopeError(message, `resource "${name}"`, declaredAt, readAt && formatPlace(readAt))
}

/**
 * The error a test (or, for a `retained` object found after its test ended, a file) fails with under `leaks: 'error'`:
 * the text of every finding made in it.
 *
 * @example
 * if (error instanceof IsolationLeakError) console.log(error.findings.map((f) => f.kind))
 */
export class IsolationLeakError extends Error {
  override name = 'IsolationLeakError'
  /** The findings, as the report lists them. */
  readonly findings: readonly Finding[]

  constructor(findings: readonly Finding[]) {
    const noun = findings.length === 1 ? 'finding' : 'findings'
    super(
      `${ERROR_PREFIX} ${findings.length} isolation ${noun} (leaks: 'error'):\n\n` +
        findings.map((finding) => formatFinding(finding)).join('\n\n'),
    )
    this.findings = findings
    // The findings carry their own places; frames of the runtime would only show where the plugin noticed them.
    this.stack = `${this.name}: ${this.message}`
  }
}

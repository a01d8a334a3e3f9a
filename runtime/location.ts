/**
 * Where user code called into the runtime: the first stack frame outside this folder.
 *
 * Vitest source-maps stack traces in workers, so the frame names the original line of a transformed test file.
 */
import { isAbsolute, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { framePath, STACK_FRAME } from './ledger/callsite.ts'
import { state } from './state.ts'

/** A position in a source file; `file` is relative to the project root when the root is known. */
export interface SourcePlace {
  file: string
  line: number
  column: number
}

// The runtime's own folder, with a trailing separator: frames in it (and in its sub-folders) are never the caller.
const RUNTIME_DIR = fileURLToPath(new URL('.', import.meta.url))

/** Formats a place as `file:line:column`. */
export function formatPlace(place: SourcePlace): string {
  return `${place.file}:${place.line}:${place.column}`
}

/**
 * Makes an absolute path relative to the project root (with `/` separators): `tests/a.test.ts` inside it, `../shared/x.ts`
 * beside it; a path on another drive stays absolute.
 */
export function relativeToRoot(path: string): string {
  const normalized = path.replaceAll('\\', '/')
  const root = state.options?.root
  if (root === undefined || !isAbsolute(normalized)) return normalized
  const relativePath = relative(root, normalized).replaceAll('\\', '/')
  return isAbsolute(relativePath) ? normalized : relativePath
}

function frameFile(raw: string): string {
  // Vite may append a query (`?v=…`, `?vitest=…`) to module ids.
  return framePath(raw.replace(/\?[^:/\\]*$/, ''))
}

function isInternal(file: string): boolean {
  return (
    file.startsWith(RUNTIME_DIR) ||
    file.startsWith('node:') ||
    file === 'native' ||
    file.includes('/node_modules/vitest/') ||
    file.includes('/node_modules/@vitest/')
  )
}

const CALLER_FRAMES = 16

type CallSites = NodeJS.CallSite[]
const unformatted = (_error: Error, sites: CallSites): CallSites => sites

/**
 * The first place on the current call stack outside the runtime (and outside Vitest), or `undefined` when none is found.
 *
 * Vite source-maps every frame of a stack that is read, at microseconds each. So where it installed its
 * `Error.prepareStackTrace`, the stack is taken as V8's call sites, which cost nothing, and only the frame found is
 * formatted (and mapped) by it. Elsewhere (Node's own source maps, in the vm pools) the stack is read as text.
 */
export function callerPlace(): SourcePlace | undefined {
  const prepare = Error.prepareStackTrace
  const limit = Error.stackTraceLimit
  // Deep enough for the runtime's own frames (a resource built for its dependants nests a few), and no deeper.
  Error.stackTraceLimit = CALLER_FRAMES
  try {
    if (prepare === undefined) return firstOutside(new Error('callerPlace').stack ?? '')
    const holder: { stack?: CallSites } = {}
    let sites: CallSites | undefined
    Error.prepareStackTrace = unformatted
    try {
      Error.captureStackTrace(holder, callerPlace)
      // V8 formats the stack when it is first read, with the prepareStackTrace installed then.
      sites = holder.stack
    } finally {
      Error.prepareStackTrace = prepare
    }
    const site = (sites ?? []).find((s) => !isInternal(frameFile(s.getFileName() ?? 'native')))
    return site === undefined ? undefined : firstOutside(String(prepare(new Error('callerPlace'), [site])))
  } finally {
    Error.stackTraceLimit = limit
  }
}

/** The first frame of a formatted `stack` outside the runtime. */
function firstOutside(stack: string): SourcePlace | undefined {
  for (const line of stack.split('\n').slice(1)) {
    const match = STACK_FRAME.exec(line)
    if (!match) continue
    const file = frameFile(match[1])
    if (isInternal(file)) continue
    return { file: relativeToRoot(file), line: Number(match[2]), column: Number(match[3]) }
  }
  return undefined
}

let knownPlace: SourcePlace | undefined

/**
 * Runs `make` with `place` as the answer of {@link creationPlace}: the runtime knows where an instance comes from when it
 * runs a marked binding's initializer (the declaration) or builds a `ctx` resource (the test), and a stack is only read
 * when it does not — reading one costs a fraction of a millisecond once Vite source-maps it.
 */
export function withKnownPlace<T>(place: SourcePlace | undefined, make: () => T): T {
  if (place === undefined) return make()
  const outer = knownPlace
  knownPlace = place
  try {
    return make()
  } finally {
    knownPlace = outer
  }
}

/** Where an instance being created comes from: the place the runtime knows, else the first caller outside it. */
export function creationPlace(): SourcePlace | undefined {
  return knownPlace ?? callerPlace()
}

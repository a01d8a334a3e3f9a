/**
 * The code injected at the top of a transformed test file: the runtime import, one import per declared resource, and
 * the per-file handle that marked tests and bindings register with — and where it goes: after the file's leading
 * comments, without moving any original line.
 */
import type MagicString from 'magic-string'
import { FILE_LOCAL, RUNTIME_LOCAL, resourceLocal } from '../../runtime/names.ts'
import { afterLineTerminator, leadingCommentsEnd } from './trivia.ts'
import type { ResolvedResource } from './types.ts'

/**
 * The prologue, on one line and without a trailing newline, so that it shifts no original line (positions stay
 * readable even where a source map is lost).
 */
export function prologue(file: string, isolateAll: boolean, runtimeId: string, resources: readonly ResolvedResource[]): string {
  const parts = [`import { ${RUNTIME_LOCAL} } from ${JSON.stringify(runtimeId)};`]
  const entries: string[] = []
  for (const resource of resources) {
    const local = resourceLocal(resource.name)
    const specifier = resource.export === 'default' ? local : `{ ${exportName(resource.export)} as ${local} }`
    parts.push(`import ${specifier} from ${JSON.stringify(resource.id)};`)
    entries.push(`${propertyKey(resource.name)}: { factory: ${local}, uses: ${JSON.stringify(resource.uses)} }`)
  }
  const resourcesObject = entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`
  parts.push(
    `const ${FILE_LOCAL} = ${RUNTIME_LOCAL}.file({ file: ${JSON.stringify(file)}, isolateAll: ${isolateAll}, resources: ${resourcesObject} });`,
  )
  return parts.join('')
}

const IDENTIFIER_RE = /^[A-Za-z_$][\w$]*$/

function propertyKey(name: string): string {
  return IDENTIFIER_RE.test(name) ? name : JSON.stringify(name)
}

// ES2022 allows any string as an export name: `import { "a-b" as x }`.
function exportName(name: string): string {
  return IDENTIFIER_RE.test(name) ? name : JSON.stringify(name)
}

/**
 * Inserts `text` (one line, no newline) after the file's leading comments: the hashbang and the line and block comments
 * before the first statement. Compilers read `@jsx`, `@jsxImportSource`, `@jsxRuntime` pragmas and Vitest reads
 * `@vitest-environment` there, so nothing may go before them; and no original line may move, so the text goes on a
 * line that already exists: right after a closing `*\/` on its own line, or at the start of the line after a line
 * comment (which runs to the end of its line). Only a file that ends in a line comment gets a new last line.
 */
export function insertPrologue(code: string, s: MagicString, text: string): void {
  const { end, lineComment } = leadingCommentsEnd(code)
  if (!lineComment) {
    // prependLeft: before a marked call's wrapper or a rewritten reference that may start at the same offset.
    s.prependLeft(end, text)
    return
  }
  const next = afterLineTerminator(code, end)
  if (next === end) s.prependLeft(end, `\n${text}`)
  else s.prependLeft(next, text)
}

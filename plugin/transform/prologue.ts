/**
 * The code injected at the top of a transformed test file: the runtime import, one import per declared resource, and
 * the per-file handle that marked tests and bindings register with.
 */
import { FILE_LOCAL, RUNTIME_LOCAL, resourceLocal } from '../../runtime/names.ts'
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

// Reads what vitest-isolation's runtime wrote on the victim's failure into `task.meta.isolation` (its `IsolationMeta`:
// `{ isolated?, findings?: Finding[], causes?: StateChange[], changes?: StateChange[] }`). The hunt tries these places
// first. The meta comes from a user's run, so every field is checked before it is used; anything else is ignored.
import path from 'node:path'

import type { HookKind, Suspect } from './protocol.ts'

const HOOKS: readonly string[] = ['beforeAll', 'afterAll', 'beforeEach', 'afterEach'] satisfies HookKind[]

/**
 * The suspects named by the metas of the victim's failed tests: the state journal's causes first (each test's list is
 * most likely first), then the origins of the findings; each place once.
 * @example
 * suspectsOf([test.meta()], vitest.config.root) // → [{ file: 'tests/a.test.ts', test: 'a > sets it', source: 'cause' }]
 */
export function suspectsOf(metas: readonly unknown[], root: string): Suspect[] {
  const isolation = metas.map((meta) => record(record(meta)?.isolation))
  const causes = isolation.flatMap((m) => list(m?.causes).map((cause) => place(record(cause)?.by, root, 'cause')))
  const findings = isolation.flatMap((m) => list(m?.findings).map((finding) => place(record(finding)?.origin, root, 'finding')))
  const seen = new Set<string>()
  return [...causes, ...findings].filter((suspect): suspect is Suspect => {
    if (!suspect) return false
    const key = JSON.stringify([suspect.file, suspect.test, suspect.hook ?? null, suspect.suite ?? null])
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function place(value: unknown, root: string, source: Suspect['source']): Suspect | null {
  const at = record(value)
  if (!at || typeof at.file !== 'string' || at.file === '') return null
  const file = path.isAbsolute(at.file) ? path.relative(root, at.file).split(path.sep).join('/') : at.file
  if (typeof at.test === 'string') return { file, test: at.test, source }
  const suspect: Suspect = { file, test: null, source }
  if (typeof at.hook === 'string' && HOOKS.includes(at.hook)) {
    suspect.hook = at.hook as HookKind
    if (typeof at.suite === 'string' && at.suite !== '') suspect.suite = at.suite
  }
  return suspect
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

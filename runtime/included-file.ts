/**
 * `IncludedFile`: what the generated code of one included file talks to — it creates the file's binding cells, records
 * which tests and suites its `@isolate` markers attach to, and registers its other top-level bindings as module roots.
 */
import { TestRunner } from 'vitest'
import { Binding } from './binding.ts'
import { state } from './state.ts'
import { addRoots, removeRoots, type RootEntry } from './tracking.ts'
import type { BindingCell, BindingKind, FileMeta } from './types.ts'

type CollectedTask = { type: string; suite?: object }

/** The runtime side of one included file. */
export class IncludedFile {
  readonly meta: FileMeta

  constructor(meta: FileMeta) {
    this.meta = meta
  }

  /**
   * The per-test cell of the marked binding `name`, declared at `line`:`column` of the original source; `init` runs once
   * per test, on the test's first read.
   */
  binding<T>(name: string, kind: BindingKind, line: number, column: number, init: () => T): BindingCell<T> {
    return new Binding(name, kind, { file: this.meta.file, line, column }, init)
  }

  /**
   * Runs `register` (a marked `test(...)`/`describe(...)` call) and marks every task it adds to the suite being collected.
   * Returns what `register` returned, so the marked call keeps its value.
   */
  mark<R>(_line: number, _column: number, register: () => R): R {
    // `vitest/suite` is deprecated since Vitest 4.1; the runner class exposes the same collector.
    const collector = TestRunner.getCurrentSuite()
    const tasks = collector.tasks as CollectedTask[]
    const before = tasks.length
    const result = register()
    for (let i = before; i < tasks.length; i++) {
      const task = tasks[i]
      // A describe adds its collector; the suite task it will produce is `collector.suite`.
      const marked = task.type === 'collector' ? task.suite : task
      if (marked) state.marked.add(marked)
    }
    return result
  }

  /**
   * Registers the file's unmarked top-level bindings (`[name, line, getter]`, appended by the transform after the file's
   * code) as roots of the retention path search: what they hold outlives every test.
   */
  roots(roots: readonly RootEntry[]): void {
    addRoots(this.meta.file, roots)
  }
}

/** Creates (or, when the module is evaluated again, replaces) the scope of the file described by `meta`. */
export function openFile(meta: FileMeta): IncludedFile {
  const scope = new IncludedFile(meta)
  // The module is evaluated again (a re-run): the roots of its previous instance must not keep that instance alive.
  if (state.files.has(meta.file)) removeRoots(meta.file)
  state.files.set(meta.file, scope)
  for (const [name, resource] of Object.entries(meta.resources)) state.resources.set(name, resource)
  return scope
}

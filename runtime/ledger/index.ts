/**
 * The ledger: a self-contained findings engine. It knows which scope (a test, or a file's module scope) owns each tracked
 * object and reports `shared-instance`, `foreign-object`, `retained` and `global-mutation` findings (SPEC §6). It imports
 * nothing of Vitest and nothing of the runtime but the report model; the per-test slot wires it in:
 *
 * ```ts
 * const ledger = new Ledger({ current: () => storage.getStore()?.scope, onFinding: (finding, scope) => record(scope, finding) })
 * // the aroundEach hook, around runTest():
 * ledger.testStarted(scope)                        // before beforeEach
 * const token = ledger.snapshotGlobals(scope)      // undefined unless scope.isolated
 * ...runTest()...
 * ledger.checkGlobals(scope, token)                // after afterEach (and after vi.unstubAllGlobals() when unstubGlobals is on)
 * ledger.testFinished(scope)
 * await ledger.checkRetention()                    // retention: 'test' — or once per file for 'file'
 * // at the end of a file: ledger.fileFinished(file)
 * // resource instances:   const instance = ledger.track(made, { owner: scope | null, file, resource, line, column })
 * // marked-binding values: ledger.own(value, scope, { file, resource: 'binding:name', line, column })
 * // module roots:          ledger.addRoot({ file, name, line, get: () => binding })
 * ```
 *
 * Rules it keeps: weak references only (it never keeps an object alive); each finding once per distinct object, origin
 * and observing test; no finding for an object used only by its own test, for objects of a scope still running, for
 * primitives, functions, frozen objects, or other libraries' Proxies.
 */
export { Ledger } from './ledger.ts'
export type { GlobalsToken } from './ledger.ts'
export type { CallSite, LedgerOptions, ModuleRoot, OwnInfo, Scope, TrackInfo } from './types.ts'
export { callSiteIn, stackCallSite } from './callsite.ts'
export { collectGarbage, collectGarbageSoon } from './gc.ts'
export { globalChanges, globalLabel, isInternalGlobal, snapshotGlobals } from './globals.ts'
export type { GlobalChange, GlobalsSnapshot } from './globals.ts'
export { constructorName, kubeLabel } from './labels.ts'

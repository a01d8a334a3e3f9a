/**
 * The ledger: a self-contained findings engine. It knows which scope (a test, or a file's module scope) owns each tracked
 * object and reports `shared-instance`, `foreign-object` and `retained` findings (SPEC §6; `global-mutation` is the state
 * journal's, runtime/journal/). It imports
 * nothing of Vitest and nothing of the runtime but the report model; the per-test slot wires it in:
 *
 * ```ts
 * const ledger = new Ledger({ current: () => storage.getStore()?.scope, onFinding: (finding, scope) => record(scope, finding) })
 * // the aroundEach hook, around runTest():
 * ledger.testStarted(scope)                        // before beforeEach
 * await runTest()
 * ledger.testFinished(scope)                       // in a finally: a test left "running" makes every later one "concurrent"
 * await ledger.checkRetention()                    // retention 'test'; once per file for 'file'
 * // at the end of a file:   ledger.fileFinished(file)   (and ledger.removeRoots(file) when the module instance is dropped)
 * // resource instances:     const instance = ledger.track(made, { owner: scope | null, file, resource, line, column })
 * // marked-binding values:  ledger.own(value, scope, { file, resource: 'binding:name', line, column })
 * // top-level bindings:     ledger.addRoot({ file, name, line, get: () => binding })
 * ```
 *
 * Rules it keeps: weak references only (it never keeps an object alive); each finding once per distinct object, origin
 * and observing scope; no finding for an object used only by its own test, for objects of a scope still running, for
 * primitives, functions, frozen objects, or other libraries' Proxies. Decisions where the contract is silent:
 * - A module-scope instance is shared once a *second* distinct test uses it; both tests then get a finding.
 * - `current()` should return the file's module scope during module evaluation and collection: objects that cross a
 *   tracked instance there are the module's, never a test's. Values of registered roots at the first test start after
 *   their registration (and objects up to three levels inside them) are the module's too, and so is what a test's file's
 *   roots hold (as deep) at each test's start.
 * - An object that each test's *own* instance returns (a library's constant) belongs to no test.
 * - A test's objects are checked for retention only after a later test of the same file, started after it finished, has
 *   finished (`let x; beforeEach(() => { x = … })` keeps the previous test's object until then); a file's last test is
 *   not checked. `retained` needs a path from a root unless `retainedWithoutPath` is set.
 * - Only what a test's *own* tracked instance *returns* is stamped (and the objects one level inside it): a test owns
 *   what it got back from its instances. Arguments are checked against the stamps they carry (a `foreign-object` when
 *   another test's), and an argument handed back as the result (`create(obj)` returning `obj`) is not stamped as one —
 *   only what the call put inside it (`list(list)` filling `list.items`). A helper module's
 *   `export const key = { namespace: 'default' }` passed by every test therefore never becomes one test's object.
 *   What a shared (module-scope) or another test's instance returns is checked, not stamped: it may be state the
 *   instance held before the test began.
 * - The one exception: an argument without a stamp that a test hands to its own instance is remembered while the test
 *   runs, and stamped the test's (`traveled`) when its file's roots did not hold it at the test's start and hold it at its
 *   end — it travels to later tests through a module variable (`travel.ts`). What did not travel stays unstamped.
 */
export { Ledger } from './ledger.ts'
export type { CallSite, LedgerOptions, ModuleRoot, OwnInfo, Owner, TrackInfo } from './types.ts'
export { callSiteIn, stackCallSite } from './callsite.ts'
export { collectGarbage, collectGarbageSoon } from './gc.ts'
export { globalLabel, isInternalGlobal } from './globals.ts'
export { constructorName, kubeLabel } from './labels.ts'

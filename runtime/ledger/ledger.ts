/**
 * The ledger: which scope owns each tracked object, and the findings that follow from who uses, passes or keeps what.
 *
 * Everything it keeps about user objects is weak — WeakMaps keyed by the objects, WeakRefs for retention — so it never
 * keeps an object alive, and what it keeps per test is dropped when the test is checked: memory stays flat over any
 * number of tests. It imports nothing of Vitest: the caller says which scope is current and when tests start and end.
 */
import { types } from 'node:util'
import type { Finding } from '../report/types.ts'
import { stackCallSite } from './callsite.ts'
import { FindingStore } from './findings.ts'
import { retainedHint } from './hints.ts'
import { HiddenEdges } from './inspect.ts'
import { constructorName, instanceName, Labels } from './labels.ts'
import { findPaths } from './paths.ts'
import { isWrapper, observe, TrackedInstance } from './observe.ts'
import { Retention } from './retention.ts'
import { Roots } from './roots.ts'
import { Owners, type OwnerState } from './owners.ts'
import { Sightings } from './sightings.ts'
import { isStampable, membersOf, Stamp, type Via } from './stamps.ts'
import { MODULE_DEPTH, Travel } from './travel.ts'
import type { LedgerOptions, ModuleRoot, OwnInfo, Owner, TrackInfo } from './types.ts'

type Where = NonNullable<Stamp['where']>

/**
 * Where an object was created, as the caller's info says. The line and column are read from it when a finding needs them
 * (a test's line is found on first need); the info holds the caller's scope and names, never the object.
 */
function where(info: { file: string; line?: number; column?: number }): Where {
  return {
    file: info.file,
    get line() {
      return info.line
    },
    get column() {
      return info.column
    },
  }
}

const { isModuleNamespaceObject } = types

// Inspector round trips (about 0.5 ms each) for closure variables and private fields in one retention check.
const HIDDEN_EDGE_BUDGET = 600

/**
 * Records which test (or module scope) owns each tracked object and reports `shared-instance`, `foreign-object`,
 * and `retained` findings.
 *
 * @example
 * const ledger = new Ledger({ current: () => storage.getStore()?.scope, onFinding: (f, scope) => attach(scope, f) })
 * ledger.testStarted(scope)
 * const scheme = ledger.track(newScheme(), { owner: scope, file: 'tests/a.test.ts', resource: 'scheme' })
 * ledger.testFinished(scope)
 */
export class Ledger {
  private readonly owners = new Owners()
  private readonly store: FindingStore
  private readonly labels = new Labels()
  private readonly retention: Retention | undefined
  private readonly roots = new Roots()
  private readonly sightings: Sightings
  private readonly retainedWithoutPath: boolean
  private readonly pathBudget: number
  private readonly instances = new WeakMap<object, TrackedInstance>()
  private readonly stamps = new WeakMap<object, Stamp>()
  private readonly ignored = new WeakSet<object>()
  private readonly travel: Travel

  constructor(options: LedgerOptions = {}) {
    this.store = new FindingStore(options.onFinding)
    this.retention = options.retention === false ? undefined : new Retention()
    this.retainedWithoutPath = options.retainedWithoutPath ?? false
    this.pathBudget = options.pathBudget ?? 200_000
    const current = options.current ?? (() => undefined)
    this.sightings = new Sightings({
      current: () => {
        const scope = current()
        return scope === undefined ? undefined : this.owners.of(scope)
      },
      callSite: options.callSite ?? stackCallSite,
      store: this.store,
      labels: this.labels,
      instances: this.instances,
      stamps: this.stamps,
      stamp: (value, owner, via, through, member) => this.stamp(value, owner, via, through, member),
      module: (file) => this.owners.module(file),
      bindingOf: (value, file) => this.roots.nameOf(file, value),
      markable: options.markable ?? (() => true),
    })
    this.travel = new Travel({ stamps: this.stamps, roots: this.roots, module: (file) => this.owners.module(file) })
    this.ignored.add(this)
    // Reached through a closure (`.globalThis`), the global object would lead into every runtime's internals (Vitest's
    // worker state, its tasks and their contexts); the globals the suite itself added are roots of their own.
    this.ignored.add(globalThis)
  }

  /**
   * Starts a test's interval (call it before `beforeEach`); also adopts module roots registered since the last test, and
   * what the test's file's module values hold now (it existed before the test).
   */
  testStarted(scope: Owner): void {
    this.adoptModuleValues()
    const state = this.owners.started(scope)
    if (state.kind === 'test') this.travel.started(state)
  }

  /**
   * Ends a test's interval (after `afterEach`); its objects wait for a later test of the file before they are checked, and
   * what it passed in and left in its file's module values traveled.
   */
  testFinished(scope: Owner): void {
    const state = this.owners.finished(scope)
    if (state === undefined) return
    this.travel.finished(state)
    this.retention?.finished(state)
  }

  /** A file is done: the objects of its tests that never became checkable are let go unchecked. */
  fileFinished(file: string): void {
    this.retention?.fileFinished(file)
  }

  /** Drops a test's retention bookkeeping without checking it (and what it passed in, should it not have finished). */
  release(scope: Owner): void {
    const state = this.owners.of(scope)
    this.travel.released(state)
    this.retention?.release(state)
  }

  /**
   * Tracks an instance (a resource instance) and returns it, the same object: calls of its methods from another test are
   * findings, and the objects that cross them are stamped with the test that saw them first.
   */
  track<T extends object>(instance: T, info: TrackInfo): T {
    if ((typeof instance !== 'object' || instance === null) && typeof instance !== 'function') return instance
    const owner = info.owner === null ? this.owners.module(info.file) : this.owners.of(info.owner)
    const known = this.instances.get(instance)
    if (known !== undefined) {
      // A factory that hands out one instance to several scopes (a cached singleton) shares it.
      this.sightings.sighting(instance, known.stamp, owner, undefined, undefined, info.operation ?? `${known.name} factory`)
      return instance
    }
    const className = constructorName(instance)
    const stamp = new Stamp(owner, 'tracked', undefined, undefined, info.resource, where(info))
    stamp.label = info.label ?? this.labels.next(className)
    const record = new TrackedInstance(instance, stamp, info.resource ?? instanceName(className), this.sightings)
    this.instances.set(instance, record)
    this.stamps.set(instance, stamp)
    observe(record)
    if (owner.kind === 'test') this.retention?.add(owner, instance, stamp)
    return instance
  }

  /** Declares an object owned by a scope without observing its calls (a marked binding's value): a retention candidate, a foreign object elsewhere. */
  own(value: object, owner: Owner, info: OwnInfo): void {
    if ((typeof value !== 'object' || value === null) && typeof value !== 'function') return
    const state = this.owners.of(owner)
    const stamp = this.stamps.get(value)
    if (stamp !== undefined) {
      if (stamp.owner.id !== state.id) this.sightings.sharedValue(value, stamp, state, info.resource)
      return
    }
    if (!isStampable(value) && typeof value !== 'function') return
    const created = this.stamp(value, state, 'owned', undefined, undefined, info.resource, where(info))
    if (info.label !== undefined) created.label = info.label
  }

  /** Registers a top-level binding of an included file as a root of the retention path search. */
  addRoot(root: ModuleRoot): void {
    this.roots.add(root)
  }

  /** Forgets a file's roots (when its module instance is discarded, e.g. with per-file isolation). */
  removeRoots(file: string): void {
    this.roots.remove(file)
  }

  /** Objects the path search never enters (the caller's own bookkeeping). */
  ignore(value: object): void {
    this.ignored.add(value)
  }

  /**
   * Reports every object of a checkable finished test that is still alive after a full garbage collection, with the
   * path from a root that keeps it (`retainedBy`). Without a path the object is reported only with `retainedWithoutPath`.
   *
   * `collect: false` forces no collection: it checks only the tests V8 has run a full collection for since they became
   * checkable, and leaves the others to a later check. Such a collection may keep an object that became unreachable while
   * it was marking, so without a path a survivor proves nothing: `retainedWithoutPath` always collects.
   */
  async checkRetention({ collect = true }: { collect?: boolean } = {}): Promise<Finding[]> {
    if (this.retention === undefined) return []
    const survivors = await this.retention.survivors(collect || this.retainedWithoutPath)
    if (survivors.length === 0) return []
    const values = survivors.map((s) => s.value)
    // Module namespaces (a test file's imports, as its closures capture them) lead into packages' internals — Vitest's
    // among them — never into what the test left behind: a module's own bindings are roots of their own.
    const walk = {
      budget: this.pathBudget,
      // Our wrappers' closures lead to the original function and what it closes over (a factory's cache): the user's code
      // keeps those, not the module binding that holds the wrapper, and they were never a path without the plugin's wrapper.
      skip: (v: object) => this.ignored.has(v) || isModuleNamespaceObject(v) || isWrapper(v),
    }
    const paths = findPaths(values, this.roots.sources(), walk)
    if (paths.size < values.length) {
      const hidden = HiddenEdges.open(HIDDEN_EDGE_BUDGET)
      if (hidden !== undefined) {
        try {
          const rest = values.filter((v) => !paths.has(v))
          for (const [value, path] of findPaths(rest, this.roots.sources(), { ...walk, hidden })) paths.set(value, path)
        } finally {
          hidden.close()
        }
      }
    }
    const made: Finding[] = []
    for (const { value, candidate, owner } of survivors) {
      const retainedBy = paths.get(value) ?? null
      if (retainedBy === null && !this.retainedWithoutPath) continue
      const stamp = candidate.stamp as Stamp
      const finding: Finding = {
        kind: 'retained',
        object: this.sightings.label(value, stamp),
        origin: stamp.origin(),
        observedIn: [],
        retainedBy,
        hint: retainedHint(retainedBy),
      }
      if (stamp.resource !== undefined) finding.resource = stamp.resource
      if (this.store.add(`retained\u0000${stamp.id}`, finding, this.sightings.ownerOf(owner))) made.push(finding)
    }
    return made
  }

  /** Every finding made so far, each once per distinct object, origin and observing scope. */
  findings(): Finding[] {
    return this.store.all()
  }

  /** Counts of what the ledger holds strongly: for the invariant harness and the memory bench. */
  stats(): { scopes: number; pendingTests: number; roots: number; findings: number } {
    return { scopes: this.owners.size, pendingTests: this.retention?.pending ?? 0, roots: this.roots.size, findings: this.store.size }
  }

  private stamp(value: object, owner: OwnerState, via: Via, through?: string, member?: PropertyKey, resource?: string, at?: Where): Stamp {
    const stamp = new Stamp(owner, via, through, member, resource, at)
    this.stamps.set(value, stamp)
    if (owner.kind === 'test') this.retention?.add(owner, value, stamp)
    return stamp
  }

  /** Values of module roots registered since the last test are the module's own: shared by design, never a test's. */
  private adoptModuleValues(): void {
    for (const { root, value } of this.roots.takePending()) {
      if (typeof value !== 'object' || value === null) continue
      const module = this.owners.module(root.file)
      const claim = (object: object, depth: number): void => {
        if (this.stamps.has(object) || !isStampable(object)) return
        this.stamps.set(object, new Stamp(module, 'module', undefined, undefined, undefined))
        if (depth < MODULE_DEPTH) for (const member of membersOf(object, true)) claim(member, depth + 1)
      }
      claim(value, 1)
    }
  }
}

/**
 * The state journal: what each test, hook and module evaluation left changed in `globalThis`, `process.env` and the
 * top-level bindings of the project's modules — deep and in place, with nothing declared.
 *
 * Time is cut into windows by checkpoints (a test starts or ends, a hook starts or ends, a file's own code starts). At
 * each checkpoint the journal walks its roots, compares them with the last walk, and charges what differs to the actor
 * of the window that just closed. A piece of state stays *dirty* from its first change until it is back to the value it
 * had before (restoring is not a change); what is dirty when a test fails is the list of its likely causes.
 *
 * Prior art: PolDet (ISSTA 2015) diffs the heap reachable from static fields around each test and reports the access
 * path; its false positives (caches, lazy initialisation) are why this journal only speaks when a failure follows.
 */
import type { HookKind, Place, StateChange } from '../report/types.ts'
import { compareGlobals, followedDepth, GlobalFilter, globalLabel, held, lookAtEnv, lookAtGlobals, type EnvLook, type GlobalsLook, type IgnoredGlobal } from './globals.ts'
import { render } from './values.ts'
import { ABSENT, compare, sameEntries, walk, type Difference, type Entries, type Snapshot, type WalkFilter } from './walk.ts'

/** Who a window's changes are charged to. */
export interface Actor {
  /** `file`: a test, a hook or the top level of a file, not told apart (a change a sweep found in a large module). */
  readonly kind: 'test' | 'hook' | 'file' | 'module' | 'imports' | 'between'
  /** One id per test, per hook of a suite, per file's module evaluation. */
  readonly id: string
  readonly place: Place
  /** A hook's kind. */
  readonly hook?: HookKind
  /** A `beforeEach`/`afterEach` hook: how many times it has run (the tests a change of it spanned). */
  runs: number
}

/** Changes made between tests, or by tests running at the same time, are charged to no one. */
export const NOBODY: Actor = { kind: 'between', id: '', place: { file: '', test: null }, runs: 0 }

type Root = 'global' | 'library' | 'env' | 'module'
type Baseline = { value: unknown } | { ref: WeakRef<object> } | { entries: Entries }

/** One actor's change of a piece of state, as reports show it. */
export interface Change {
  /** The path from the root: `globalThis.__config.locale`, `process.env.TZ`, `cache` (a module binding). */
  readonly state: string
  /** A module binding's declaration, `src/ids.ts:3`. */
  readonly module: string | undefined
  /** `library`: inside a global that a module created while a file's imports were evaluated (a dependency's own). */
  readonly root: Root
  before: string
  after: string
  afterAbsent: boolean
  /** A getter added, or replaced by the value it computed: lazy initialisation. */
  lazy: boolean
  by: Actor
  /** The actor's `runs` when it made the change. */
  runsAt: number
  /** The checkpoint that recorded the change. */
  seq: number
}

/** A piece of state that is not what it was before its first change. */
export interface Dirty extends Change {
  readonly baseline: Baseline
  /** The change another actor made before the latest one (what a test found when it started). */
  prior: Change | undefined
  /** Reported as a cause of a failure: not repeated in the summary of unexplained changes. */
  blamed: boolean
}

/** A top-level binding of a module of the project, followed as a root of its own. */
interface BindingRoot {
  readonly name: string
  readonly line: number
  readonly read: () => unknown
  snapshot: Snapshot | undefined
  /** Walks in a row that found nothing changed. */
  quiet: number
}

/** A module of the project: its top-level bindings. */
interface ModuleRoots {
  readonly file: string
  readonly bindings: BindingRoot[]
  /** The entries of its bindings' last walks, together. */
  entries: number
}

/**
 * A binding of a large module that has stayed unchanged this many walks in a row is followed only at sweeps (when a
 * test file's suite starts, at the end of its first failed test, at its end) until it changes again: a library's classes
 * and schemas would otherwise be walked at every checkpoint of every test. What a sweep finds there is charged to the one
 * actor since the last sweep, or to the file when there were several ("a test, a hook or the top level of").
 */
const QUIET_WALKS = 2
/** The bindings of a module of fewer entries (a counter, a config object) are followed at every checkpoint. */
const LARGE_MODULE = 32

/** The most dirty entries kept: past it, the oldest are forgotten (a suite that fills a cache forever). */
const MAX_DIRTY = 2_000
/** Causes listed for one failure. */
const MAX_CAUSES = 5

/** The journal's options. */
export interface JournalOptions {
  ignoreGlobals?: readonly IgnoredGlobal[]
  /** Objects never walked into (the runtime's own state). */
  skip?: (value: object) => boolean
}

/** The state journal of one worker. */
export class Journal {
  private cursor: Actor = NOBODY
  private seq = 0
  private look: GlobalsLook
  private env: EnvLook
  private readonly atStart: ReadonlySet<PropertyKey>
  private readonly filter: GlobalFilter
  private readonly walkFilter: WalkFilter
  private readonly deep = new Map<PropertyKey, Snapshot>()
  private readonly modules = new Map<string, ModuleRoots>()
  private readonly dirty = new Map<string, Dirty>()
  /** Globals that appeared while a file's imports were evaluated. */
  private readonly library = new Set<PropertyKey>()
  /** Values of ignored globals (Vitest's worker state, a dependency's hook): never walked into. */
  private readonly internal = new WeakSet<object>()
  /** Roots too large to follow whole, by label: each is noticed once. */
  readonly truncated = new Set<string>()
  /** The test whose window closed last (its afterEach hooks run after it). */
  private lastTest: Actor | undefined
  /** The actors whose windows closed since the last sweep. */
  private readonly sinceSweep: Actor[] = []
  private readonly fileActors = new Map<string, Actor>()

  constructor(options: JournalOptions = {}) {
    this.filter = new GlobalFilter(options.ignoreGlobals)
    const skip = options.skip ?? (() => false)
    // The global object is followed by its own walk; Vitest's and Node's globals are nobody's state, by any path.
    this.walkFilter = { skip: (value) => value === globalThis || this.internal.has(value) || skip(value) }
    this.look = lookAtGlobals()
    this.atStart = new Set(this.look.keys)
    this.env = lookAtEnv(undefined)
    this.walkGlobals(false)
  }

  /** The number of the last checkpoint. */
  get now(): number {
    return this.seq
  }

  /**
   * Closes the open window — charging what changed in it to its actor — and opens one for `next`. With `look: false`
   * the state is not walked (nothing but Vitest's own code ran since the last checkpoint); with `sweep`, quiet large
   * modules are walked too.
   */
  checkpoint(next: Actor, look = true, sweep = false): void {
    if (look) {
      this.seq++
      if (this.cursor !== NOBODY && !this.sinceSweep.includes(this.cursor)) this.sinceSweep.push(this.cursor)
      this.observe(sweep)
      if (this.cursor.kind === 'test') this.lastTest = this.cursor
      if (sweep) this.sinceSweep.length = 0
    }
    this.cursor = next
  }

  /** Registers the top-level bindings of a module of the project; their values now are where they start from. */
  addModule(file: string, roots: readonly (readonly [name: string, line: number, get: () => unknown])[]): void {
    const module: ModuleRoots = { file, bindings: roots.map(([name, line, read]) => ({ name, line, read, snapshot: undefined, quiet: 0 })), entries: 0 }
    // Evaluated again (a new module instance): the old one's bindings are no one's state any more.
    this.modules.set(file, module)
    for (const binding of module.bindings) this.follow(module, binding, undefined)
  }

  /** Forgets a module's bindings, and what they left changed: nothing later can reach them (a finished test file). */
  removeModule(file: string): void {
    this.modules.delete(file)
    for (const [key, dirty] of this.dirty) if (dirty.module?.startsWith(`${file}:`) === true) this.dirty.delete(key)
  }

  /** The dirty state matching `which`, most likely cause first. */
  select(which: (dirty: Dirty) => boolean): Dirty[] {
    const found: Dirty[] = []
    for (const dirty of this.dirty.values()) if (which(dirty)) found.push(dirty)
    return found.sort(likelier)
  }

  /**
   * The likely causes of a failure of the test `test`, which started at checkpoint `since`: state that earlier actors
   * left changed, except what the test's own set-up did (`own`: its suites' hooks, its file's top level).
   */
  causes(test: Actor, own: ReadonlySet<string>, since: number): StateChange[] {
    const earlier = (change: Change): boolean => change.seq <= since && change.by !== test && !own.has(change.by.id)
    // What the test found when it started: the latest change, or the one before it when the test (or its own hook)
    // changed the same state again since.
    const candidates: { dirty: Dirty; change: Change }[] = []
    for (const dirty of this.dirty.values()) {
      if (earlier(dirty)) candidates.push({ dirty, change: dirty })
      else if (dirty.prior !== undefined && earlier(dirty.prior)) candidates.push({ dirty, change: dirty.prior })
    }
    candidates.sort((a, b) => likelier(a.change, b.change))
    // Caches, counters and additions are listed only when nothing that looks more like a cause is there.
    const telling = candidates.filter(({ change }) => changeRank(change) < 2)
    const found: StateChange[] = []
    // One object reachable from two roots (a module binding and a global) changes under both: listed once.
    const seen = new Set<string>()
    for (const { dirty, change } of telling.length > 0 ? telling : candidates) {
      const same = `${change.by.id}\u0000${leaf(change.state)}\u0000${change.before}\u0000${change.after}`
      if (seen.has(same)) continue
      seen.add(same)
      dirty.blamed = true
      found.push(describe(change))
      if (found.length === MAX_CAUSES) break
    }
    return found
  }

  private observe(sweep: boolean): void {
    const actor = this.cursor
    const look = lookAtGlobals()
    for (const d of compareGlobals(this.look, look, this.filter)) {
      const label = globalLabel(d.key)
      // A global that appears while a file's imports are evaluated is a module's own (a dependency's registry, a
      // library's configuration): what changes inside it is journaled, but it is not a global the tests set.
      if (actor.kind === 'imports' && d.change === 'added') this.library.add(d.key)
      this.record(undefined, 'global', actor, { path: label, change: d.change, before: d.before, after: d.after })
      // A replaced global starts over: what its new value holds is where it starts from.
      this.deep.delete(d.key)
    }
    this.look = look
    this.walkGlobals(true)
    this.observeEnv(actor)
    for (const module of this.modules.values()) {
      const large = module.entries >= LARGE_MODULE
      for (const binding of module.bindings) {
        if (!large || binding.quiet < QUIET_WALKS) this.follow(module, binding, actor)
        else if (sweep) this.follow(module, binding, this.sweptBy())
      }
    }
  }

  private walkGlobals(compareWithLast: boolean): void {
    const { keys, descriptors } = this.look
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]
      const value = held(descriptors[i])
      if (this.filter.ignores(key)) {
        if (typeof value === 'object' && value !== null) this.internal.add(value)
        continue
      }
      const depth = followedDepth(key, this.atStart)
      if (depth === 0) continue
      if ((typeof value !== 'object' || value === null) && typeof value !== 'function') continue
      const label = globalLabel(key)
      const last = this.deep.get(key)
      const now = walk(value, last, this.walkFilter, { depth })
      if (now === last) continue
      this.noticeTruncation(now, label)
      this.deep.set(key, now)
      if (compareWithLast && last !== undefined && Object.is(last.values[0], value)) {
        const root = this.library.has(key) ? 'library' : 'global'
        for (const d of compare(last, now, label)) this.record(undefined, root, this.cursor, d)
      }
    }
  }

  private observeEnv(actor: Actor): void {
    const look = lookAtEnv(this.env)
    if (look === this.env) return
    const before = new Map(this.env.names.map((name, i) => [name, this.env.values[i]]))
    this.env = look
    for (let i = 0; i < look.names.length; i++) {
      const name = look.names[i]
      const after = look.values[i]
      const was = before.has(name)
      const then = before.get(name)
      before.delete(name)
      if (was && then === after) continue
      if (this.filter.ignoresEnv(name)) continue
      this.record(undefined, 'env', actor, { path: `process.env.${name}`, change: was ? 'changed' : 'added', before: was ? then : ABSENT, after })
    }
    for (const [name, then] of before) {
      if (!this.filter.ignoresEnv(name)) this.record(undefined, 'env', actor, { path: `process.env.${name}`, change: 'deleted', before: then, after: ABSENT })
    }
  }

  /** Walks a module's binding; what changed is charged to `actor` (nothing is, on the first walk). */
  private follow(module: ModuleRoots, binding: BindingRoot, actor: Actor | undefined): void {
    let value: unknown
    try {
      value = binding.read()
    } catch {
      // Not a binding after all (a declaration-like line inside a template literal): nothing to follow.
      return
    }
    const last = binding.snapshot
    const now = walk(value, last, this.walkFilter, { prototypes: true })
    if (now === last) {
      binding.quiet++
      return
    }
    module.entries += now.values.length - (last?.values.length ?? 0)
    binding.snapshot = now
    binding.quiet = 0
    const at = `${module.file}:${binding.line}`
    this.noticeTruncation(now, `${binding.name} (${at})`)
    if (actor === undefined || last === undefined) return
    for (const d of compare(last, now, binding.name)) this.record(at, 'module', actor, d)
  }

  /** Who changed what a sweep finds changed in a module it alone follows: the one actor since the last sweep, if one. */
  private sweptBy(): Actor {
    // A file's imports rarely change a module that is already loaded: the window after them is the likelier author.
    const all = this.sinceSweep
    let actors = all.length > 1 ? all.filter((actor) => actor.kind !== 'imports') : all
    // The hooks around a single test (a setup file's, the file's own) ran for it only: the test stands for them.
    const tests = actors.filter((actor) => actor.kind === 'test')
    if (tests.length === 1) actors = tests
    if (actors.length === 0) return this.cursor
    if (actors.length === 1) return actors[0]
    const file = actors[actors.length - 1].place.file
    let actor = this.fileActors.get(file)
    if (actor === undefined) {
      actor = { kind: 'file', id: `file:${file}`, place: { file, test: null }, runs: 0 }
      this.fileActors.set(file, actor)
    }
    return actor
  }

  private noticeTruncation(snapshot: Snapshot, label: string): void {
    if (snapshot.truncated) this.truncated.add(label)
  }

  /** Applies one difference (of the binding declared at `module`, or of a global) to the dirty state. */
  private record(module: string | undefined, root: Root, actor: Actor, d: Difference): void {
    const key = module === undefined ? d.path : `${module}\u0000${d.path}`
    let existing = this.dirty.get(key)
    // What a file's module evaluation or a beforeAll set up is where its tests start from: a test that changes it
    // makes a change of its own (deleting a global its module added is not "restoring" it).
    if (existing !== undefined && existing.by !== actor && isSetup(existing.by) && (actor.kind === 'test' || isEachHook(actor))) {
      this.dirty.delete(key)
      existing = undefined
    }
    const restored = existing !== undefined && isBaseline(existing.baseline, d)
    if (restored) {
      this.dirty.delete(key)
      return
    }
    if (actor.kind === 'between') {
      // Vitest restoring mocks, a late timer: not anyone's change, but the state is what it is now.
      if (existing !== undefined) setAfter(existing, d)
      return
    }
    // While a file's imports are evaluated, what is added is the modules' own initial state, not a change.
    if (actor.kind === 'imports' && existing === undefined && (d.change === 'added' || d.entries !== undefined)) return
    if (existing !== undefined) {
      if (existing.by !== actor) {
        // A test changing what a beforeEach/afterEach of its own file set for it: from where later tests stand, the
        // test changed the value from what it was before that hook (a hook resetting a locale before each test, and the
        // last test switching it, leave the switch).
        const afterOwnHook = actor.kind === 'test' && isEachHook(existing.by) && existing.by.place.file === actor.place.file
        // An afterEach of the test's own file changing what the test just changed (a clean-up that empties a store the
        // test filled) finishes the test's change: together they left the state as it now is, from where the test found it.
        const ownCleanUp = actor.hook === 'afterEach' && existing.by === this.lastTest && existing.by.place.file === actor.place.file
        if (ownCleanUp) {
          setAfter(existing, d)
          existing.seq = this.seq
          // Back to what the test found (another actor's change before it): that change stands, the test made none.
          const prior = existing.prior
          if (prior !== undefined && existing.before === existing.after) Object.assign(existing, prior, { prior: undefined })
          return
        }
        if (!afterOwnHook) {
          // Another actor's change: reported from the value it found (restoring is still judged by the first baseline).
          const { state, module, root, before, after, afterAbsent, lazy, by, runsAt, seq } = existing
          existing.prior = { state, module, root, before, after, afterAbsent, lazy, by, runsAt, seq }
          existing.before = d.entries ? entriesText(d.entries.before) : render(d.before)
        }
        existing.lazy = d.lazy === true
        existing.by = actor
        existing.runsAt = actor.runs
      }
      setAfter(existing, d)
      existing.seq = this.seq
      return
    }
    if (this.dirty.size >= MAX_DIRTY) this.dirty.delete(this.dirty.keys().next().value!)
    const dirty: Dirty = {
      state: d.path,
      module,
      root,
      baseline: baselineOf(d),
      before: d.entries ? entriesText(d.entries.before) : render(d.before),
      after: '',
      afterAbsent: false,
      lazy: d.lazy === true,
      by: actor,
      runsAt: actor.runs,
      seq: this.seq,
      prior: undefined,
      blamed: false,
    }
    setAfter(dirty, d)
    this.dirty.set(key, dirty)
  }
}

function isEachHook(actor: Actor): boolean {
  return actor.hook === 'beforeEach' || actor.hook === 'afterEach'
}

/** A module's evaluation or a `beforeAll`: it sets up what the tests after it start from. */
function isSetup(actor: Actor): boolean {
  return actor.kind === 'module' || actor.kind === 'imports' || actor.hook === 'beforeAll'
}

function baselineOf(d: Difference): Baseline {
  if (d.entries) return { entries: d.entries.before }
  return typeof d.before === 'object' && d.before !== null || typeof d.before === 'function' ? { ref: new WeakRef(d.before as object) } : { value: d.before }
}

function isBaseline(baseline: Baseline, d: Difference): boolean {
  if ('entries' in baseline) return d.entries !== undefined && sameEntries(baseline.entries, d.entries.after)
  if ('ref' in baseline) return baseline.ref.deref() === d.after
  return Object.is(baseline.value, d.after)
}

function setAfter(dirty: Change, d: Difference): void {
  dirty.after = d.entries ? entriesText(d.entries.after) : render(d.after)
  dirty.afterAbsent = d.after === ABSENT
}

function entriesText(entries: Entries): string {
  const n = typeof entries.size === 'number' ? entries.size : entries.keys.length
  return `${n} ${n === 1 ? 'entry' : 'entries'}`
}

// A file's change (a test, a hook or its top level, found at a sweep) is as likely a cause as a test's.
const ACTOR_RANK = { test: 0, file: 0, hook: 1, module: 2, imports: 2, between: 3 } as const

/** Most likely first: a test's change over a hook's over a module's; a changed value over a removal over an addition. */
function likelier(a: Change, b: Change): number {
  return ACTOR_RANK[a.by.kind] - ACTOR_RANK[b.by.kind] || changeRank(a) - changeRank(b) || b.seq - a.seq
}

/**
 * How much a change looks like a cause rather than harmless bookkeeping: a value switched to another (a locale, a flag,
 * a replaced function) first; a removal next; then what PolDet found to be mostly noise — an addition, a lazy
 * singleton made (`undefined` → an object), a counter that went up, a container that only grew (a cache).
 */
function changeRank(dirty: Change): number {
  if (dirty.lazy) return 2
  // A value added to a class's prototype is a patch of every instance, not a cache.
  if (dirty.before === '(absent)' && dirty.state.includes('.prototype.')) return 0
  if (dirty.before === '(absent)' || dirty.before === 'undefined' || dirty.before === 'null') return 2
  if (dirty.afterAbsent) return 1
  const before = Number.parseFloat(dirty.before)
  const after = Number.parseFloat(dirty.after)
  // A number that went up, or a container's entry count that did.
  if (!Number.isNaN(before) && !Number.isNaN(after) && after > before) return 2
  return 0
}

/** The last step of a path: `locale` of `globalThis.__config.locale`. */
function leaf(path: string): string {
  const at = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['))
  return at < 0 ? path : path.slice(at)
}

/** A dirty entry as reports show it. */
export function describe(dirty: Change): StateChange {
  const change: StateChange = {
    state: dirty.state,
    change: dirty.before === '(absent)' ? 'added' : dirty.afterAbsent ? 'deleted' : 'changed',
    by: dirty.by.place,
    tests: isEachHook(dirty.by) ? dirty.by.runs - dirty.runsAt + 1 : 1,
  }
  if (dirty.module !== undefined) change.module = dirty.module
  if (dirty.by.kind === 'file') change.inFile = true
  if (change.change !== 'added') change.before = dirty.before
  if (change.change !== 'deleted') change.after = dirty.after
  return change
}

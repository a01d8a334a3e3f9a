/**
 * The invariant harness of the ledger (after magic-string's tests): the ledger under test is wrapped so that after every
 * call its invariants are checked again —
 * - the findings it returns are exactly the ones it reported, none twice (kind, object, origin, observer);
 * - no `shared-instance` or `foreign-object` is observed by its own origin test;
 * - every finding names its object, origin and fix;
 * - nothing reachable from the ledger's strong structures is an object handed to it (walked with the retention path
 *   search; `deepCheck()` also walks closures and private fields);
 * and `expectCollected()` proves by forced GC that objects the test dropped are collected.
 * Owners and the current scope are explicit, so every interleaving is deterministic.
 */
import { expect } from 'vitest'
import type { Finding } from '../../runtime/report/types.ts'
import { collectGarbageSoon, Ledger, type LedgerOptions, type Owner } from '../../runtime/ledger/index.ts'
import { HiddenEdges } from '../../runtime/ledger/inspect.ts'
import { findPaths } from '../../runtime/ledger/paths.ts'

/** The file the harness's scopes live in unless told otherwise. */
export const FILE = 'tests/a.test.ts'

/** A test scope named `name` in `file` (id = file + name), declared at `line`. */
export function testOwner(name: string, options: { file?: string; isolated?: boolean; line?: number } = {}): Owner {
  const file = options.file ?? FILE
  return { kind: 'test', file, test: name, id: `${file}::${name}`, isolated: options.isolated ?? false, line: options.line ?? 10, column: 3 }
}

/** The module scope of `file`. */
export function moduleOwner(file = FILE): Owner {
  return { kind: 'module', file, test: null, id: `module:${file}`, isolated: false }
}

function findingKey(finding: Finding): string {
  const observer = finding.observedIn.map((p) => `${p.file}::${p.test}`).join(',')
  return [finding.kind, finding.object, finding.origin.file, finding.origin.test, finding.origin.line, observer].join('|')
}

export interface Harness {
  /** The ledger, wrapped: every call re-checks the invariants. */
  ledger: Ledger
  /** Findings in the order `onFinding` received them, with the scope each was attributed to. */
  received: { finding: Finding; observer: Owner }[]
  /** Runs `fn` with `scope` current (no scope: nothing current). */
  within<T>(scope: Owner | undefined, fn: () => T): T
  /** `testStarted`, `fn` inside the scope, `testFinished`. */
  runTest<T>(scope: Owner, fn: () => T): T
  /** Runs the invariants now (the wrapper does after every call). */
  check(): void
  /** The invariants, with closures and private fields walked too (slow: use once per test). */
  deepCheck(): void
  /** Runs `make` (whose locals die with it), then proves by forced GC that every object it handed to the ledger is collected. */
  expectCollected(make: () => void): Promise<void>
}

/** A ledger under the invariant harness, with `current` under the test's control. */
export function harness(options: Omit<LedgerOptions, 'current' | 'onFinding'> = {}): Harness {
  let current: Owner | undefined
  const received: { finding: Finding; observer: Owner }[] = []
  // Objects handed to the ledger, held weakly: the harness must not keep them alive either.
  const handed: WeakRef<object>[] = []
  const currentFn = (): Owner | undefined => current
  const onFinding = (finding: Finding, observer: Owner): void => {
    received.push({ finding: structuredClone(finding), observer: { ...observer } })
  }
  const raw = new Ledger({ callSite: () => undefined, ...options, current: currentFn, onFinding })
  // The walk stays inside the ledger: not into the harness's callbacks, nor into imported modules' namespaces.
  const outside = (value: object): boolean =>
    value === currentFn || value === onFinding || Object.prototype.toString.call(value) === '[object Module]'

  const liveHanded = (): object[] => handed.map((ref) => ref.deref()).filter((v): v is object => v !== undefined)
  const reachableFromLedger = (hidden?: HiddenEdges): string[] => {
    const targets = liveHanded()
    const paths = findPaths(targets, [{ label: 'ledger', value: raw }], { budget: 100_000, skip: outside, hidden })
    return [...paths.values()]
  }
  const check = (): void => {
    const findings = raw.findings()
    expect(findings).toEqual(received.map((r) => r.finding))
    const keys = findings.map(findingKey)
    expect(new Set(keys).size, `duplicate findings:\n${keys.join('\n')}`).toBe(keys.length)
    for (const finding of findings) {
      expect(finding.object).not.toBe('')
      expect(finding.hint.length).toBeGreaterThan(20)
      expect(finding.origin.file).not.toBe('')
      if (finding.kind === 'shared-instance' || finding.kind === 'foreign-object') {
        expect(typeof finding.concurrent).toBe('boolean')
        for (const place of finding.observedIn) {
          expect(place.test, 'observed by its own origin').not.toBe(null)
          expect(`${place.file}::${place.test}`).not.toBe(`${finding.origin.file}::${finding.origin.test}`)
        }
      }
    }
    expect(reachableFromLedger(), 'the ledger holds a handed object strongly').toEqual([])
  }

  const ledger = new Proxy(raw, {
    get(target, member) {
      const value: unknown = Reflect.get(target, member)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        if (member === 'track' || member === 'own') handed.push(new WeakRef(args[0] as object))
        const result: unknown = Reflect.apply(value, target, args)
        if (result instanceof Promise) return result.then((resolved) => (check(), resolved))
        if (member === 'track') handed.push(new WeakRef(result as object))
        check()
        return result
      }
    },
  })

  const within = <T>(scope: Owner | undefined, fn: () => T): T => {
    const previous = current
    current = scope
    try {
      return fn()
    } finally {
      current = previous
    }
  }

  return {
    ledger,
    received,
    within,
    runTest(scope, fn) {
      ledger.testStarted(scope)
      try {
        return within(scope, fn)
      } finally {
        ledger.testFinished(scope)
      }
    },
    check,
    deepCheck() {
      check()
      const hidden = HiddenEdges.open(20_000)
      try {
        expect(reachableFromLedger(hidden), 'the ledger holds a handed object in a closure or private field').toEqual([])
      } finally {
        hidden?.close()
      }
    },
    async expectCollected(make) {
      const before = handed.length
      make()
      const refs = handed.slice(before)
      expect(refs.length).toBeGreaterThan(0)
      await collectGarbageSoon()
      await collectGarbageSoon()
      expect(refs.filter((ref) => ref.deref() !== undefined).length, 'objects the ledger kept alive').toBe(0)
    },
  }
}

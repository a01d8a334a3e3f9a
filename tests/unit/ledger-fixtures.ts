/** Small domain classes for the ledger's tests: a Scheme-like registry, Kubernetes-like objects and a careless client. */
import type { Finding } from '../../runtime/report/types.ts'
import { FILE, testOwner } from './ledger-harness.ts'

// A registry with private state, a getter, an iterator and its own toString — what a Scheme looks like.
export class Scheme {
  #types = new Map<string, object>()
  addKnownType(kind: string, type: object): this {
    this.#types.set(kind, type)
    return this
  }
  typeOf(kind: string): object | undefined {
    return this.#types.get(kind)
  }
  get size(): number {
    return this.#types.size
  }
  *[Symbol.iterator](): Generator<string> {
    yield* this.#types.keys()
  }
  toString(): string {
    return `Scheme(${this.#types.size})`
  }
}

/** A keyed store whose methods are its own (a Map's are built-in, and not observed). */
export class Registry {
  readonly #entries = new Map<string, unknown>()
  put(key: string, value: unknown): void {
    this.#entries.set(key, value)
  }
}

export class Machine {
  kind = 'Machine'
  metadata: { name: string; namespace?: string }
  constructor(name: string, namespace = 'default') {
    this.metadata = { name, namespace }
  }
}

export class MachineList {
  kind = 'MachineList'
  items: Machine[] = []
}

// A fake client: stores what it is given (no copies), like a careless cache would.
export class Client {
  #store = new Map<string, Machine>()
  async create(machine: Machine): Promise<Machine> {
    this.#store.set(machine.metadata.name, machine)
    return machine
  }
  get(name: string): Machine | undefined {
    return this.#store.get(name)
  }
  async fetch(name: string): Promise<Machine | undefined> {
    return this.#store.get(name)
  }
  list(list: MachineList): MachineList {
    list.items = [...this.#store.values()]
    return list
  }
}

/** Three tests of the harness file, declared at lines 20, 30 and 40. */
export const a = testOwner('a', { line: 20 })
export const b = testOwner('b', { line: 30 })
export const c = testOwner('c', { line: 40 })

/** The place where `scope` observed something through `operation` (no call site: the test's declaration). */
export function observed(scope: { test: string | null; line?: number }, operation: string): Finding['observedIn'][number] {
  return { file: FILE, test: scope.test, line: scope.line, column: 3, operation }
}

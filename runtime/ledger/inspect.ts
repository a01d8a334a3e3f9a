/**
 * What JavaScript cannot see but the retention path search needs: the variables a closure captured and an object's
 * private `#fields`. Read through an in-thread inspector session (its replies are synchronous), mapping remote object ids
 * back to live values with `Runtime.callFunctionOn`. Chrome DevTools shows the same data as a function's `[[Scopes]]`.
 *
 * A round trip costs about half a millisecond, so the path search asks only in a second pass (for objects the first pass
 * could not explain), a whole breadth-first level at a time, within a fixed budget of round trips — a count, not a time,
 * so the same suite always gets the same paths.
 */
import { Session } from 'node:inspector'
import { types } from 'node:util'

const PROBE = Symbol.for('vitest-isolation.ledger.probe')
const PROBE_EXPRESSION = 'globalThis[Symbol.for("vitest-isolation.ledger.probe")]'
const GROUP = 'vitest-isolation-ledger'
const fnToString = Function.prototype.toString

interface RemoteObject {
  type: string
  objectId?: string
  description?: string
  value?: unknown
}
interface RemoteProperty {
  name: string
  value?: RemoteObject
}
interface Properties {
  result: RemoteProperty[]
  internalProperties?: RemoteProperty[]
  privateProperties?: RemoteProperty[]
}

/**
 * Whether hidden edges can exist: a function written in JavaScript (closure variables) or an instance of a class
 * (private fields). Plain objects, arrays and built-in collections have neither.
 */
export function mayHideEdges(value: object): boolean {
  if (typeof value === 'function') return !fnToString.call(value).endsWith('{ [native code] }')
  if (Array.isArray(value) || types.isMap(value) || types.isSet(value) || types.isProxy(value)) return false
  const proto: unknown = Reflect.getPrototypeOf(value)
  return proto !== null && proto !== Object.prototype
}

/** A synchronous view of hidden edges of objects: closure variables and private fields. */
export class HiddenEdges {
  private calls = 0
  private contextId: number | undefined = undefined
  // Scripts whose outermost scope (the module's top level, shared by all its functions) was already read.
  private readonly modulesRead = new Set<string>()

  private constructor(
    private readonly session: Session,
    private readonly budget: number,
  ) {}

  /** Opens an inspector session on this thread; `undefined` where none can be opened. */
  static open(budget: number): HiddenEdges | undefined {
    let session: Session | undefined
    try {
      session = new Session()
      session.connect()
      const edges = new HiddenEdges(session, budget)
      edges.findOwnContext()
      return edges
    } catch {
      session?.disconnect()
      return undefined
    }
  }

  /** Whether the round-trip budget is spent. */
  get exhausted(): boolean {
    return this.calls >= this.budget
  }

  /** The hidden edges of each value: ``[`closure \`x\``, child]`` for functions, `['#x', child]` for class instances. */
  edgesOf(values: readonly object[]): [string, unknown][][] {
    const edges: [string, unknown][][] = values.map(() => [])
    if (values.length === 0 || this.exhausted) return edges
    try {
      const arrayId = this.remoteArray(values)
      if (arrayId === undefined) return edges
      const elements = this.post<Properties>('Runtime.getProperties', { objectId: arrayId, ownProperties: true }).result
      const found: { index: number; label: string; objectId: string }[] = []
      for (const element of elements) {
        const index = Number(element.name)
        const objectId = element.value?.objectId
        if (!Number.isInteger(index) || objectId === undefined || this.exhausted) continue
        this.hiddenOf(objectId, (label, childId) => found.push({ index, label, objectId: childId }))
      }
      if (found.length === 0) return edges
      const children = this.resolve(arrayId, found.map((f) => f.objectId))
      found.forEach((f, i) => edges[f.index].push([f.label, children[i]]))
      return edges
    } catch {
      return edges
    } finally {
      this.post('Runtime.releaseObjectGroup', { objectGroup: GROUP })
    }
  }

  /** Ends the session. */
  close(): void {
    this.session.disconnect()
  }

  private hiddenOf(objectId: string, add: (label: string, childId: string) => void): void {
    const props = this.post<Properties>('Runtime.getProperties', { objectId, ownProperties: true })
    for (const field of props.privateProperties ?? []) if (field.value?.objectId) add(field.name, field.value.objectId)
    const internal = props.internalProperties ?? []
    const scopes = internal.find((p) => p.name === '[[Scopes]]')?.value?.objectId
    if (scopes === undefined) return
    const location = internal.find((p) => p.name === '[[FunctionLocation]]')?.value?.value as { scriptId?: string } | undefined
    // The global scope is a root of its own (and mostly Node's); every other scope is what the function captured.
    const list = this.post<Properties>('Runtime.getProperties', { objectId: scopes, ownProperties: true }).result.filter(
      (scope) => scope.value?.objectId !== undefined && !scope.value.description?.startsWith('Global'),
    )
    list.forEach((scope, i) => {
      // Every function of a module shares its outermost scope — the module's top level, often the largest: read it once.
      if (i === list.length - 1 && location?.scriptId !== undefined) {
        if (this.modulesRead.has(location.scriptId)) return
        this.modulesRead.add(location.scriptId)
      }
      if (this.exhausted) return
      for (const variable of this.post<Properties>('Runtime.getProperties', { objectId: scope.value!.objectId, ownProperties: true }).result) {
        if (variable.value?.objectId) add(`closure \`${variable.name}\``, variable.value.objectId)
      }
    })
  }

  private post<T>(method: string, params: object): T {
    this.calls++
    let reply: T | undefined
    let failure: Error | null = null
    this.session.post(method, params, (error, result) => {
      failure = error
      reply = result as T
    })
    if (failure !== null) throw failure
    if (reply === undefined) throw new Error(`[vitest-isolation] inspector did not answer ${method} synchronously`)
    return reply
  }

  /**
   * In the vm pools this code runs in a `vm` context, not the main one the inspector evaluates in by default: find the
   * execution context whose global carries a probe set from here.
   */
  private findOwnContext(): void {
    const contexts: number[] = []
    const listener = (message: { params: { context: { id: number } } }): void => void contexts.push(message.params.context.id)
    this.session.on('Runtime.executionContextCreated', listener)
    try {
      this.post('Runtime.enable', {})
      this.post('Runtime.disable', {})
    } finally {
      this.session.off('Runtime.executionContextCreated', listener)
    }
    if (contexts.length < 2) return
    const holder = globalThis as Record<symbol, unknown>
    holder[PROBE] = true
    try {
      for (const contextId of contexts) {
        const reply = this.post<{ result: { value?: unknown } }>('Runtime.evaluate', {
          expression: `${PROBE_EXPRESSION} === true`,
          contextId,
          returnByValue: true,
        })
        if (reply.result.value === true) {
          this.contextId = contextId
          return
        }
      }
    } finally {
      delete holder[PROBE]
    }
  }

  /** The remote id of an array holding `values` (handed over through a probe global that lives for one call). */
  private remoteArray(values: readonly object[]): string | undefined {
    const holder = globalThis as Record<symbol, unknown>
    holder[PROBE] = values
    try {
      const reply = this.post<{ result: RemoteObject }>('Runtime.evaluate', {
        expression: PROBE_EXPRESSION,
        objectGroup: GROUP,
        ...(this.contextId === undefined ? {} : { contextId: this.contextId }),
      })
      return reply.result.type === 'object' ? reply.result.objectId : undefined
    } finally {
      delete holder[PROBE]
    }
  }

  /** The live values of remote ids, in order, in one round trip. */
  private resolve(anyId: string, ids: string[]): unknown[] {
    const holder = globalThis as Record<symbol, unknown>
    try {
      this.post('Runtime.callFunctionOn', {
        objectId: anyId,
        functionDeclaration: `function (...values) { globalThis[Symbol.for("vitest-isolation.ledger.probe")] = values }`,
        arguments: ids.map((objectId) => ({ objectId })),
        objectGroup: GROUP,
      })
      const values = holder[PROBE]
      return Array.isArray(values) ? values : []
    } finally {
      delete holder[PROBE]
    }
  }
}

/**
 * What JavaScript cannot see but the retention path search needs: the variables a closure captured and an object's
 * private `#fields`. Read through an in-thread inspector session (its replies are synchronous), mapping remote object ids
 * back to live values with `Runtime.callFunctionOn`. Chrome DevTools shows the same data as a function's `[[Scopes]]`.
 *
 * Costly (a few round trips per object), so the path search uses it only in a second pass for objects the first pass
 * could not explain, within a budget of round trips.
 */
import { Session } from 'node:inspector'

const PROBE = Symbol.for('vitest-isolation.ledger.probe')
const PROBE_EXPRESSION = 'globalThis[Symbol.for("vitest-isolation.ledger.probe")]'
const GROUP = 'vitest-isolation-ledger'

interface RemoteObject {
  type: string
  objectId?: string
  description?: string
}
interface PropertyDescriptorLike {
  name: string
  value?: RemoteObject
}
interface Properties {
  result: PropertyDescriptorLike[]
  internalProperties?: PropertyDescriptorLike[]
  privateProperties?: PropertyDescriptorLike[]
}

/** A synchronous view of hidden edges of objects: closure variables and private fields. */
export class HiddenEdges {
  private calls = 0

  private contextId: number | undefined = undefined

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

  /** The hidden edges of `value`: ``[`closure \`x\``, value]`` for functions, `['#x', value]` for objects. */
  edges(value: object): [string, unknown][] {
    if (this.exhausted) return []
    try {
      const id = this.remoteId(value)
      if (id === undefined) return []
      const props = this.post<Properties>('Runtime.getProperties', { objectId: id, ownProperties: true })
      const found: [string, string][] = []
      for (const field of props.privateProperties ?? []) {
        if (field.value?.objectId) found.push([field.name, field.value.objectId])
      }
      const scopes = props.internalProperties?.find((p) => p.name === '[[Scopes]]')?.value?.objectId
      if (scopes !== undefined) {
        for (const scope of this.post<Properties>('Runtime.getProperties', { objectId: scopes, ownProperties: true }).result) {
          const scopeId = scope.value?.objectId
          // The global scope is a root of its own (and mostly Node's); every other scope is what the function captured.
          if (scopeId === undefined || scope.value?.description?.startsWith('Global')) continue
          for (const variable of this.post<Properties>('Runtime.getProperties', { objectId: scopeId, ownProperties: true }).result) {
            if (variable.value?.objectId) found.push([`closure \`${variable.name}\``, variable.value.objectId])
          }
        }
      }
      if (found.length === 0) return []
      const values = this.values(id, found.map(([, objectId]) => objectId))
      return found.map(([label], i) => [label, values[i]])
    } catch {
      return []
    } finally {
      this.post('Runtime.releaseObjectGroup', { objectGroup: GROUP })
    }
  }

  /** Ends the session. */
  close(): void {
    this.session.disconnect()
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

  private remoteId(value: object): string | undefined {
    const holder = globalThis as Record<symbol, unknown>
    holder[PROBE] = value
    try {
      const reply = this.post<{ result: RemoteObject }>('Runtime.evaluate', {
        expression: PROBE_EXPRESSION,
        objectGroup: GROUP,
        ...(this.contextId === undefined ? {} : { contextId: this.contextId }),
      })
      return reply.result.type === 'object' || reply.result.type === 'function' ? reply.result.objectId : undefined
    } finally {
      delete holder[PROBE]
    }
  }

  private values(anyId: string, ids: string[]): unknown[] {
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

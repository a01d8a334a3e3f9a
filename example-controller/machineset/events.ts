/**
 * Kubernetes-style events the reconciler records (SuccessfulCreate, FailedCreate, SuccessfulAdopt, …). Upstream uses a
 * `record.EventRecorder`; here the recorder is injectable and the default one keeps events in memory, so tests can
 * assert on them the way upstream tests read `record.FakeRecorder.Events`.
 */
import type { KubeObject } from '../api/meta.ts'

/** The type of an event: routine, or something that needs attention. */
export type EventType = 'Normal' | 'Warning'

/** One recorded event. */
export interface RecordedEvent {
  /** `namespace/name` of the object the event is about. */
  object: string
  type: EventType
  reason: string
  message: string
}

/** Records events about objects. */
export interface EventRecorder {
  /** Records one event about `obj`. */
  event(obj: KubeObject, type: EventType, reason: string, message: string): void
}

/**
 * An EventRecorder that keeps every event in `events`, in order.
 *
 * @example
 * const recorder = new MemoryEventRecorder()
 * new MachineSetReconciler({ client, recorder })
 */
export class MemoryEventRecorder implements EventRecorder {
  /** The events recorded so far. */
  readonly events: RecordedEvent[] = []

  /** Records one event about `obj`. */
  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    const { namespace, name } = obj.metadata
    this.events.push({ object: namespace ? `${namespace}/${name ?? ''}` : (name ?? ''), type, reason, message })
  }

  /** The events formatted as `<type> <reason> <message>`, like `record.FakeRecorder` lines. */
  lines(): string[] {
    return this.events.map((e) => `${e.type} ${e.reason} ${e.message}`)
  }
}

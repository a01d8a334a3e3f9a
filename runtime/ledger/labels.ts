/**
 * Labels for objects in findings: `Machine default/ms-7fq2x` for Kubernetes-like objects (they carry their own identity),
 * else the constructor name and a per-class counter (`Scheme#2`). Labels read own data properties only, so no getter runs.
 */

function ownData(obj: object, key: PropertyKey): unknown {
  const descriptor = Reflect.getOwnPropertyDescriptor(obj, key)
  return descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined
}

/** The constructor name of an object, read without running getters; `Object` when there is none. */
export function constructorName(obj: object): string {
  const proto: unknown = Reflect.getPrototypeOf(obj)
  if (proto === null || typeof proto !== 'object') return typeof obj === 'function' ? 'Function' : 'Object'
  const ctor = ownData(proto, 'constructor')
  const name = typeof ctor === 'function' ? ownData(ctor, 'name') : undefined
  return typeof name === 'string' && name !== '' ? name : 'Object'
}

/** `Kind namespace/name` (or `Kind name`) for an object with a string `kind` and `metadata.name`; else `undefined`. */
export function kubeLabel(obj: object): string | undefined {
  const kind = ownData(obj, 'kind')
  const metadata = ownData(obj, 'metadata')
  if (typeof kind !== 'string' || kind === '' || typeof metadata !== 'object' || metadata === null) return undefined
  const name = ownData(metadata, 'name')
  if (typeof name !== 'string' || name === '') return undefined
  const namespace = ownData(metadata, 'namespace')
  return typeof namespace === 'string' && namespace !== '' ? `${kind} ${namespace}/${name}` : `${kind} ${name}`
}

/** Hands out `Name#n` labels, counting per constructor name from 1. */
export class Labels {
  private readonly counters = new Map<string, number>()

  /** The next label for an object of class `name`. */
  next(name: string): string {
    const n = (this.counters.get(name) ?? 0) + 1
    this.counters.set(name, n)
    return `${name}#${n}`
  }
}

/** The name an operation is reported under: `client.create` for resource `client`, `scheme.x` for `binding:scheme`. */
export function operationName(owner: string, member: PropertyKey): string {
  const base = owner.startsWith('binding:') ? owner.slice('binding:'.length) : owner
  return typeof member === 'symbol' ? `${base}[${member.description ?? ''}]` : `${base}.${member}`
}

/** The lower-camel name of a class, for operations on an instance that is not a named resource (`Scheme` → `scheme`). */
export function instanceName(className: string): string {
  return className.charAt(0).toLowerCase() + className.slice(1)
}

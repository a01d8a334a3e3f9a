/**
 * Short renderings of values for the journal's messages (`'en'`, `3`, `Map(2)`, `[Function fetch]`), made without
 * running user code: no getter, no `toString`, no `Symbol.toPrimitive`.
 */
import { types } from 'node:util'
import { constructorName } from '../ledger/labels.ts'
import { ABSENT } from './walk.ts'

const ids = new WeakMap<object, number>()
let nextId = 1

/** A small number that stays the same for one object, to tell object keys of a `Map` or `Set` apart. */
export function objectId(value: object): number {
  let id = ids.get(value)
  if (id === undefined) {
    id = nextId++
    ids.set(value, id)
  }
  return id
}

const MAX_STRING = 40

/** A one-line rendering of `value`. */
export function render(value: unknown): string {
  if (value === ABSENT) return '(absent)'
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value)
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value)
    case 'bigint':
      return `${value}n`
    case 'symbol':
      return value.toString()
    case 'function': {
      const name = Reflect.getOwnPropertyDescriptor(value, 'name')?.value
      return `[Function${typeof name === 'string' && name !== '' ? ` ${name}` : ''}]`
    }
  }
  if (value === null) return 'null'
  const object = value as object
  if (types.isProxy(object)) return 'Proxy'
  if (Array.isArray(object)) return `Array(${object.length})`
  if (types.isMap(object)) return `Map(${(object as Map<unknown, unknown>).size})`
  if (types.isSet(object)) return `Set(${(object as Set<unknown>).size})`
  const name = constructorName(object)
  return name === 'Object' ? `{${Reflect.ownKeys(object).length} keys}` : name
}

/** A `Map` key or `Set` element as it appears in a path. */
export function renderKey(key: unknown): string {
  return typeof key === 'object' && key !== null ? `${render(key)}#${objectId(key)}` : render(key)
}

import { describe, expect, it } from 'vitest'
import { Cluster } from '../../example-controller/api/cluster.ts'
import { GenericInfrastructureMachine } from '../../example-controller/api/generic.ts'
import { Machine, MachineList } from '../../example-controller/api/machine.ts'
import { MachineSet } from '../../example-controller/api/machineset.ts'
import { UnstructuredList, type KubeObject, type Unstructured } from '../../example-controller/api/meta.ts'
import {
  AlreadyExistsError,
  BadRequestError,
  ConflictError,
  FakeClientBuilder,
  InvalidError,
  NotFoundError,
  ObjectStore,
  StatusError,
  defaultScheme,
  isAlreadyExists,
  isBadRequest,
  isConflict,
  isInvalid,
  isNotFound,
  mergeFrom,
  mergePatch,
  newFakeClient,
  applyMergePatch,
  createMergePatch,
  seededRandom,
  type Client,
  type JsonObject,
  type JsonValue,
  type Random,
} from '../../example-controller/client/index.ts'
import { Scheme, newScheme } from '../../example-controller/scheme/index.ts'
import { InvariantError, checkStoreInvariants, withInvariants } from './helpers/store-harness.ts'
import { Now, cluster, keyOf, machine, rejection, setup } from './helpers/fake-client.ts'

const NowStamp = '2026-01-02T03:04:05Z'

/** A Random that replays the given values, then repeats the last one. */
function replay(...values: number[]): Random {
  let i = 0
  return () => values[Math.min(i++, values.length - 1)]
}

function infraMachine(name: string, labels?: Record<string, string>): Unstructured {
  return {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'GenericInfrastructureMachine',
    metadata: { name, namespace: 'default', ...(labels && { labels }) },
    spec: { size: 'small' },
  }
}

async function names(client: Client, opts?: { namespace?: string; matchLabels?: Record<string, string> }): Promise<string[]> {
  const list = await client.list(new MachineList(), opts)
  return list.items.map((m) => `${m.metadata.namespace}/${m.metadata.name}`)
}

describe('initial objects', () => {
  it('get resourceVersion "999" unless they carry one', async () => {
    const { client } = setup({ objects: [machine('a'), machine('b', { resourceVersion: '7' })] })
    expect((await client.get({ namespace: 'default', name: 'a' }, new Machine())).metadata.resourceVersion).toBe('999')
    expect((await client.get({ namespace: 'default', name: 'b' }, new Machine())).metadata.resourceVersion).toBe('7')
  })

  it('are rejected by build() when duplicated, nameless, deleting without finalizers or not numeric', () => {
    const build = (...objects: KubeObject[]) => () => new FakeClientBuilder().withScheme(newScheme()).withObjects(...objects).build()
    expect(build(machine('a'), machine('a'))).toThrow(AlreadyExistsError)
    expect(build(new Machine())).toThrow(InvalidError)
    const deleting = machine('d')
    deleting.metadata.deletionTimestamp = NowStamp
    expect(build(deleting)).toThrow('refusing to create an object with metadata.deletionTimestamp but no finalizers')
    expect(build(machine('x', { resourceVersion: 'abc' }))).toThrow(BadRequestError)
  })

  it('are copied: changing the object after build() does not change the store', async () => {
    const initial = machine('a')
    const { client } = setup({ objects: [initial] })
    initial.spec.clusterName = 'changed'
    expect((await client.get(keyOf(initial), new Machine())).spec.clusterName).toBe('test-cluster')
  })
})

describe('get', () => {
  it('fills a typed object, keeping its class, and resolves to it', async () => {
    const { client } = setup({ objects: [machine('a', { labels: { x: 'y' } })] })
    const target = new Machine()
    const got = await client.get({ namespace: 'default', name: 'a' }, target)
    expect(got).toBe(target)
    expect(got).toBeInstanceOf(Machine)
    expect(got).toStrictEqual(Object.assign(machine('a', { labels: { x: 'y' } }), { metadata: { ...machine('a', { labels: { x: 'y' } }).metadata, resourceVersion: '999' } }))
  })

  it('fills an unstructured object with plain data', async () => {
    const { client } = setup({ objects: [machine('a')] })
    const got = await client.get({ namespace: 'default', name: 'a' }, { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Machine', metadata: {} })
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype)
    expect(got).toEqual({ ...machine('a'), metadata: { ...machine('a').metadata, resourceVersion: '999' } })
  })

  it('replaces every field of the target, as decoding into a zeroed object does', async () => {
    const { client } = setup({ objects: [machine('a')] })
    const target = machine('other', { labels: { stale: 'true' } })
    target.status.phase = 'Stale'
    await client.get({ namespace: 'default', name: 'a' }, target)
    expect(target.metadata.labels).toBeUndefined()
    expect(target.status).toStrictEqual({})
  })

  it('rejects a missing object with NotFound (404) naming the resource', async () => {
    const { client } = setup()
    const err = await rejection(() => client.get({ namespace: 'default', name: 'nope' }, new Machine()))
    expect(err).toBeInstanceOf(NotFoundError)
    expect(err).toMatchObject({ reason: 'NotFound', code: 404, message: 'machines.cluster.x-k8s.io "nope" not found' })
    expect(isNotFound(err)).toBe(true)
  })

  it('is namespaced: the same name in another namespace is another object', async () => {
    const { client } = setup({ objects: [machine('a', { namespace: 'one' })] })
    expect(isNotFound(await rejection(() => client.get({ namespace: 'two', name: 'a' }, new Machine())))).toBe(true)
  })
})

describe('list', () => {
  const objects = [
    machine('b', { namespace: 'ns2', labels: { role: 'worker' } }),
    machine('c', { namespace: 'ns1', labels: { role: 'worker', zone: 'a' } }),
    machine('a', { namespace: 'ns2' }),
    machine('a', { namespace: 'ns1', labels: { role: 'control-plane' } }),
  ]

  it('returns copies sorted by namespace, then name, as instances of the item type', async () => {
    const { client } = setup({ objects })
    expect(await names(client)).toEqual(['ns1/a', 'ns1/c', 'ns2/a', 'ns2/b'])
    const list = await client.list(new MachineList())
    expect(list.items.every((m) => m instanceof Machine)).toBe(true)
  })

  it('filters by namespace and by matchLabels (all pairs must match)', async () => {
    const { client } = setup({ objects })
    expect(await names(client, { namespace: 'ns2' })).toEqual(['ns2/a', 'ns2/b'])
    expect(await names(client, { matchLabels: { role: 'worker' } })).toEqual(['ns1/c', 'ns2/b'])
    expect(await names(client, { matchLabels: { role: 'worker', zone: 'a' } })).toEqual(['ns1/c'])
    expect(await names(client, { namespace: 'ns1', matchLabels: { role: 'none' } })).toEqual([])
  })

  it('lists a registered kind as unstructured without touching the scheme', async () => {
    const { client, scheme } = setup({ objects: [new GenericInfrastructureMachine({ metadata: { name: 'i', namespace: 'default' } })] })
    const before = [...scheme.allKnownTypes().keys()]
    const list = await client.list(new UnstructuredList({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2', kind: 'GenericInfrastructureMachineList' }))
    expect(list.items.map((i) => [Object.getPrototypeOf(i) === Object.prototype, i.metadata.name])).toEqual([[true, 'i']])
    expect([...scheme.allKnownTypes().keys()]).toEqual(before)
  })
})

describe('the trap that caused the seed flake (kept on purpose)', () => {
  it('listing an unregistered kind as unstructured registers <Kind>List in the client\'s scheme', async () => {
    const scheme = new Scheme('trap-scheme')
    const { client } = setup({ scheme })
    await client.create({ apiVersion: 'infra.example/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' } })
    expect(scheme.allKnownTypes()).toEqual(new Map())
    const list = await client.list({ apiVersion: 'infra.example/v1', kind: 'WidgetList', metadata: {}, items: [] as Unstructured[] })
    expect(list.items.map((w) => w.metadata.name)).toEqual(['w'])
    expect(scheme.allKnownTypes()).toEqual(new Map([['infra.example/v1, Kind=WidgetList', UnstructuredList]]))
    // Again: the same registration is a no-op, not an error.
    await client.list({ apiVersion: 'infra.example/v1', kind: 'WidgetList', metadata: {}, items: [] })
    expect(scheme.allKnownTypes().size).toBe(1)
  })

  it('clients built without a scheme share the one module-level defaultScheme', async () => {
    const a = new FakeClientBuilder().build()
    const b = newFakeClient()
    expect(a.scheme).toBe(defaultScheme)
    expect(b.scheme).toBe(defaultScheme)
    // One client's list changes what the other client's scheme knows: shared mutable state.
    // A kind no earlier run registered (the default scheme outlives tests, which is the point).
    const kind = `SharedProbe${defaultScheme.allKnownTypes().size}List`
    const gvk = { group: 'trap.example', version: 'v1', kind }
    expect(b.scheme.recognizes(gvk)).toBe(false)
    await a.list({ apiVersion: 'trap.example/v1', kind, metadata: {}, items: [] })
    expect(b.scheme.recognizes(gvk)).toBe(true)
  })

  it('defaultScheme knows the core kinds but not the provider kinds (as in Cluster API\'s tests)', () => {
    expect(defaultScheme.recognizes({ group: 'cluster.x-k8s.io', version: 'v1beta2', kind: 'MachineSet' })).toBe(true)
    expect(defaultScheme.recognizes({ group: 'infrastructure.cluster.x-k8s.io', version: 'v1beta2', kind: 'GenericInfrastructureMachine' })).toBe(false)
    expect(defaultScheme.name).toBe('defaultScheme')
  })

  it('newFakeClient({ scheme, test }) uses the given scheme and ignores other keys', async () => {
    const scheme = newScheme()
    const client = newFakeClient({ scheme, test: { id: 't1', name: 'x', fullName: 'x', file: 'a.test.ts' } })
    expect(client.scheme).toBe(scheme)
    await client.create(machine('a'))
    expect((await client.get({ namespace: 'default', name: 'a' }, new Machine())).metadata.resourceVersion).toBe('1')
  })
})

describe('create', () => {
  it('stores the object with resourceVersion "1" and fills the caller\'s object', async () => {
    const { client } = setup()
    const m = machine('a')
    const created = await client.create(m)
    expect(created).toBe(m)
    expect(m.metadata.resourceVersion).toBe('1')
    expect(await client.get(keyOf(m), new Machine())).toStrictEqual(m)
  })

  it('rejects a resourceVersion with BadRequest (400)', async () => {
    const { client } = setup()
    const err = await rejection(() => client.create(machine('a', { resourceVersion: '5' })))
    expect(err).toMatchObject({ reason: 'BadRequest', code: 400, message: 'resourceVersion can not be set for Create requests' })
    expect(isBadRequest(err)).toBe(true)
  })

  it('rejects an object without name or generateName with Invalid (422)', async () => {
    const { client } = setup()
    const err = await rejection(() => client.create(new Machine()))
    expect(err).toMatchObject({
      reason: 'Invalid',
      code: 422,
      message: 'Machine.cluster.x-k8s.io "" is invalid: metadata.name: Required value: name is required',
    })
    expect(isInvalid(err)).toBe(true)
  })

  it('rejects an existing name with AlreadyExists (409) and leaves the stored object alone', async () => {
    const { client } = setup({ objects: [machine('a')] })
    const err = await rejection(() => client.create(machine('a', { labels: { new: 'true' } })))
    expect(err).toMatchObject({ reason: 'AlreadyExists', code: 409, message: 'machines.cluster.x-k8s.io "a" already exists' })
    expect(isAlreadyExists(err)).toBe(true)
    expect((await client.get({ namespace: 'default', name: 'a' }, new Machine())).metadata.labels).toBeUndefined()
  })

  it('ignores a deletionTimestamp, as the API server does', async () => {
    const { client } = setup()
    const m = machine('a', { finalizers: ['f'] })
    m.metadata.deletionTimestamp = NowStamp
    await client.create(m)
    expect(m.metadata.deletionTimestamp).toBeUndefined()
  })

  it('accepts unstructured objects of a registered kind and serves them typed', async () => {
    const { client } = setup()
    await client.create(infraMachine('i'))
    const typed = await client.get({ namespace: 'default', name: 'i' }, new GenericInfrastructureMachine())
    expect(typed).toBeInstanceOf(GenericInfrastructureMachine)
    expect(typed.spec).toEqual({ size: 'small' })
  })

  it('rejects a typed object whose kind the scheme lacks, naming the type and the scheme', async () => {
    class Widget {
      apiVersion = 'x/v1'
      kind = 'Widget'
      metadata = { name: 'w' }
    }
    const { client } = setup({ scheme: new Scheme('my-scheme') })
    await expect(client.create(new Widget())).rejects.toThrow('no kind is registered for the type Widget in scheme "my-scheme"')
  })
})

describe('generateName', () => {
  it('cuts the prefix to 58 characters and adds 5 random characters', async () => {
    const { client } = setup({ random: replay(0, 0.5, 0.99, 0.2, 0.04) })
    const m = machine('')
    m.metadata.generateName = `${'p'.repeat(70)}-`
    await client.create(m)
    // Alphabet bcdfghjklmnpqrstvwxz2456789: 0 → b, 0.5 → r (13), 0.99 → 9 (26), 0.2 → h (5), 0.04 → c (1).
    expect(m.metadata.name).toBe(`${'p'.repeat(58)}br9hc`)
    expect(m.metadata.name).toHaveLength(63)
  })

  it('is deterministic for a seeded random source', async () => {
    const make = async () => {
      const { client } = setup({ random: seededRandom(7) })
      const m = machine('')
      m.metadata.generateName = 'ms-'
      return (await client.create(m)).metadata.name
    }
    expect(await make()).toBe(await make())
    expect(await make()).toMatch(/^ms-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
  })

  it('retries when the generated name is taken', async () => {
    const { client } = setup({ objects: [machine('ms-bbbbb')], random: replay(0, 0, 0, 0, 0, 0.04) })
    const m = machine('')
    m.metadata.generateName = 'ms-'
    await client.create(m)
    expect(m.metadata.name).toBe('ms-ccccc')
  })

  it('gives up with AlreadyExists when every attempt collides', async () => {
    const { client } = setup({ objects: [machine('ms-bbbbb')], random: () => 0 })
    const m = machine('')
    m.metadata.generateName = 'ms-'
    expect(isAlreadyExists(await rejection(() => client.create(m)))).toBe(true)
  })
})

describe('update', () => {
  it('adds one to the resourceVersion on each write', async () => {
    const { client } = setup({ objects: [machine('a')] })
    const m = await client.get({ namespace: 'default', name: 'a' }, new Machine())
    m.metadata.labels = { n: '1' }
    await client.update(m)
    expect(m.metadata.resourceVersion).toBe('1000')
    m.metadata.labels = { n: '2' }
    await client.update(m)
    expect(m.metadata.resourceVersion).toBe('1001')
    expect((await client.get(keyOf(m), new Machine())).metadata.labels).toEqual({ n: '2' })
  })

  it('rejects a stale resourceVersion with Conflict (409)', async () => {
    const { client } = setup({ objects: [machine('a')] })
    const first = await client.get({ namespace: 'default', name: 'a' }, new Machine())
    const second = await client.get({ namespace: 'default', name: 'a' }, new Machine())
    await client.update(first)
    const err = await rejection(() => client.update(second))
    expect(err).toBeInstanceOf(ConflictError)
    expect(err).toMatchObject({
      reason: 'Conflict',
      code: 409,
      message:
        'Operation cannot be fulfilled on machines.cluster.x-k8s.io "a": the object has been modified; please apply your changes to the latest version and try again',
    })
  })

  it('rejects an empty resourceVersion with Conflict (no unconditional updates for these kinds)', async () => {
    const { client } = setup({ objects: [machine('a')] })
    expect(isConflict(await rejection(() => client.update(machine('a'))))).toBe(true)
  })

  it('rejects a missing object with NotFound and a nameless one with Invalid', async () => {
    const { client } = setup()
    expect(isNotFound(await rejection(() => client.update(machine('a', { resourceVersion: '1' }))))).toBe(true)
    expect(isInvalid(await rejection(() => client.update(new Machine())))).toBe(true)
  })

  it('changes status too when the kind has no status subresource', async () => {
    const { client } = setup({ objects: [machine('a')] })
    const m = await client.get({ namespace: 'default', name: 'a' }, new Machine())
    m.status.phase = 'Running'
    await client.update(m)
    expect((await client.get(keyOf(m), new Machine())).status).toEqual({ phase: 'Running' })
  })
})

describe('status subresource', () => {
  async function running(): Promise<{ client: Client; m: Machine }> {
    const { client } = setup({ objects: [machine('a')], status: [new Machine()] })
    const m = await client.get({ namespace: 'default', name: 'a' }, new Machine())
    return { client, m }
  }

  it('update and patch ignore status changes', async () => {
    const { client, m } = await running()
    const base = structuredClone(m)
    m.status.phase = 'Running'
    m.metadata.labels = { l: '1' }
    await client.update(m)
    expect(m.status).toEqual({})
    expect(m.metadata.labels).toEqual({ l: '1' })
    const original = structuredClone(m)
    m.status.phase = 'Running'
    m.spec.version = 'v1.31.0'
    await client.patch(m, mergeFrom(original))
    const stored = await client.get(keyOf(m), new Machine())
    expect([stored.status, stored.spec.version, base.status]).toEqual([{}, 'v1.31.0', {}])
  })

  it('status().update changes only status and adds one to the resourceVersion', async () => {
    const { client, m } = await running()
    m.status.phase = 'Running'
    m.spec.version = 'ignored'
    await client.status().update(m)
    const stored = await client.get(keyOf(m), new Machine())
    expect([stored.status, stored.spec.version, stored.metadata.resourceVersion]).toEqual([{ phase: 'Running' }, undefined, '1000'])
  })

  it('status().update rejects a stale resourceVersion with Conflict', async () => {
    const { client, m } = await running()
    const stale = structuredClone(m)
    await client.update(m)
    stale.status.phase = 'Running'
    expect(isConflict(await rejection(() => client.status().update(stale)))).toBe(true)
  })

  it('status().patch changes only status', async () => {
    const { client, m } = await running()
    const original = structuredClone(m)
    m.status.phase = 'Provisioned'
    m.metadata.labels = { ignored: 'true' }
    await client.status().patch(m, mergeFrom(original))
    const stored = await client.get(keyOf(m), new Machine())
    expect([stored.status, stored.metadata.labels]).toEqual([{ phase: 'Provisioned' }, undefined])
  })

  it('status() writes to a kind without a status subresource are NotFound', async () => {
    const { client } = setup({ objects: [machine('a')] })
    const m = await client.get({ namespace: 'default', name: 'a' }, new Machine())
    m.status.phase = 'Running'
    expect(isNotFound(await rejection(() => client.status().update(m)))).toBe(true)
    expect(isNotFound(await rejection(() => client.status().patch(m, mergePatch({ status: { phase: 'x' } }))))).toBe(true)
  })
})

describe('patch', () => {
  it('mergeFrom sends only the changes, so a concurrent write to other fields survives', async () => {
    const { client } = setup({ objects: [machine('a', { labels: { keep: 'me' } })] })
    const mine = await client.get({ namespace: 'default', name: 'a' }, new Machine())
    const theirs = await client.get({ namespace: 'default', name: 'a' }, new Machine())
    theirs.spec.version = 'v1.30.0'
    await client.update(theirs)
    const original = structuredClone(mine)
    mine.metadata.annotations = { added: 'yes' }
    await client.patch(mine, mergeFrom(original))
    const stored = await client.get(keyOf(mine), new Machine())
    expect([stored.spec.version, stored.metadata.annotations, stored.metadata.labels, stored.metadata.resourceVersion]).toEqual([
      'v1.30.0',
      { added: 'yes' },
      { keep: 'me' },
      '1001',
    ])
    expect(mine).toStrictEqual(stored)
  })

  it('mergeFrom with optimisticLock fails with Conflict when the object changed since', async () => {
    const { client } = setup({ objects: [machine('a')] })
    const mine = await client.get({ namespace: 'default', name: 'a' }, new Machine())
    await client.update(await client.get({ namespace: 'default', name: 'a' }, new Machine()))
    const original = structuredClone(mine)
    mine.metadata.labels = { x: 'y' }
    expect(isConflict(await rejection(() => client.patch(mine, mergeFrom(original, { optimisticLock: true }))))).toBe(true)
  })

  it('follows RFC 7386: null deletes, objects merge, arrays are replaced whole', async () => {
    const m = machine('a', { labels: { a: '1', b: '2' }, finalizers: ['x', 'y'] })
    const { client } = setup({ objects: [m] })
    await client.patch(m, mergePatch({ metadata: { labels: { a: null, c: '3' }, finalizers: ['z'] }, spec: { bootstrap: null } }))
    expect([m.metadata.labels, m.metadata.finalizers, m.spec.bootstrap]).toEqual([{ b: '2', c: '3' }, ['z'], undefined])
  })

  it('cannot rename or move an object', async () => {
    const { client } = setup({ objects: [machine('a')] })
    const m = await client.get({ namespace: 'default', name: 'a' }, new Machine())
    await client.patch(m, mergePatch({ metadata: { name: 'b', namespace: 'other' } }))
    expect(await names(client)).toEqual(['default/a'])
  })

  it('rejects a missing object with NotFound', async () => {
    const { client } = setup()
    expect(isNotFound(await rejection(() => client.patch(machine('a'), mergePatch({}))))).toBe(true)
  })
})

describe('delete', () => {
  it('removes an object without finalizers', async () => {
    const { client } = setup({ objects: [machine('a'), machine('b')] })
    await client.delete(machine('a'))
    expect(await names(client)).toEqual(['default/b'])
    expect(isNotFound(await rejection(() => client.delete(machine('a'))))).toBe(true)
  })

  it('only sets deletionTimestamp while finalizers remain, once', async () => {
    const { client } = setup({ objects: [machine('a', { finalizers: ['f'] })] })
    await client.delete(machine('a'))
    const deleting = await client.get({ namespace: 'default', name: 'a' }, new Machine())
    expect([deleting.metadata.deletionTimestamp, deleting.metadata.resourceVersion]).toEqual([NowStamp, '1000'])
    await client.delete(machine('a'))
    expect((await client.get({ namespace: 'default', name: 'a' }, new Machine())).metadata).toEqual(deleting.metadata)
  })

  it('an update that removes the last finalizer of a deleting object removes it', async () => {
    const { client } = setup({ objects: [machine('a', { finalizers: ['f1', 'f2'] })] })
    await client.delete(machine('a'))
    const m = await client.get({ namespace: 'default', name: 'a' }, new Machine())
    m.metadata.finalizers = ['f2']
    await client.update(m)
    expect(await names(client)).toEqual(['default/a'])
    m.metadata.finalizers = []
    await client.update(m)
    expect(await names(client)).toEqual([])
  })

  it('a patch that removes the last finalizer of a deleting object removes it', async () => {
    const { client } = setup({ objects: [machine('a', { finalizers: ['f'] })] })
    await client.delete(machine('a'))
    await client.patch(machine('a'), mergePatch({ metadata: { finalizers: null } }))
    expect(await names(client)).toEqual([])
  })

  it('deletionTimestamp is immutable through update and patch', async () => {
    const { client } = setup({ objects: [machine('a', { finalizers: ['f'] }), machine('b')] })
    await client.delete(machine('a'))
    const m = await client.get({ namespace: 'default', name: 'a' }, new Machine())
    m.metadata.deletionTimestamp = '2030-01-01T00:00:00Z'
    const err = await rejection(() => client.update(m))
    expect(err).toMatchObject({
      reason: 'Invalid',
      message: 'Machine.cluster.x-k8s.io "a" is invalid: metadata.deletionTimestamp: Invalid value: field is immutable',
    })
    expect(isInvalid(await rejection(() => client.patch(m, mergePatch({ metadata: { deletionTimestamp: null } }))))).toBe(true)
    const b = await client.get({ namespace: 'default', name: 'b' }, new Machine())
    b.metadata.deletionTimestamp = NowStamp
    expect(isInvalid(await rejection(() => client.update(b)))).toBe(true)
  })

  it('does not cascade to dependents (no garbage collection)', async () => {
    const owner = new MachineSet({ metadata: { name: 'ms', namespace: 'default', uid: 'ms-uid' } })
    const dependent = machine('a')
    dependent.metadata.ownerReferences = [{ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineSet', name: 'ms', uid: 'ms-uid', controller: true }]
    const { client } = setup({ objects: [owner, dependent] })
    await client.delete(owner)
    expect(await names(client)).toEqual(['default/a'])
  })

  it('checks resourceVersion and uid preconditions', async () => {
    const a = machine('a')
    a.metadata.uid = 'uid-a'
    const { client } = setup({ objects: [a] })
    const err = await rejection(() => client.delete(a, { preconditions: { resourceVersion: '1' } }))
    expect(err).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on machines.cluster.x-k8s.io "a": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (999). The object might have been modified',
    })
    expect(isConflict(await rejection(() => client.delete(a, { preconditions: { uid: 'other' } })))).toBe(true)
    await client.delete(a, { preconditions: { resourceVersion: '999', uid: 'uid-a' } })
    expect(await names(client)).toEqual([])
  })

  it('deleteAllOf deletes the matching objects of one kind, honouring finalizers', async () => {
    const { client } = setup({
      objects: [
        machine('a', { labels: { set: 's1' } }),
        machine('b', { labels: { set: 's1' }, finalizers: ['f'] }),
        machine('c', { labels: { set: 's2' } }),
        machine('d', { namespace: 'other', labels: { set: 's1' } }),
        cluster(),
      ],
    })
    await client.deleteAllOf(new Machine(), { namespace: 'default', matchLabels: { set: 's1' } })
    expect(await names(client)).toEqual(['default/b', 'default/c', 'other/d'])
    expect((await client.get({ namespace: 'default', name: 'b' }, new Machine())).metadata.deletionTimestamp).toBe(NowStamp)
    expect((await client.get({ namespace: 'default', name: 'test-cluster' }, new Cluster())).metadata.name).toBe('test-cluster')
  })
})

describe('copies in and out', () => {
  it('mutating what a call returned, or what was passed in, never changes the store', async () => {
    const { client } = setup({ objects: [machine('a', { labels: { l: '1' } })] })
    const created = await client.create(machine('b', { labels: { l: '1' } }))
    created.metadata.labels!.l = 'mutated'
    const got = await client.get({ namespace: 'default', name: 'a' }, new Machine())
    got.metadata.labels!.l = 'mutated'
    const listed = await client.list(new MachineList())
    listed.items[0].spec.bootstrap.dataSecretName = 'mutated'
    const fresh = await client.list(new MachineList())
    expect(fresh.items.map((m) => [m.metadata.labels, m.spec.bootstrap.dataSecretName])).toEqual([
      [{ l: '1' }, 'a-bootstrap'],
      [{ l: '1' }, 'b-bootstrap'],
    ])
  })

  it('two reads never share objects', async () => {
    const { client } = setup({ objects: [machine('a')] })
    const one = await client.get({ namespace: 'default', name: 'a' }, new Machine())
    const two = await client.get({ namespace: 'default', name: 'a' }, new Machine())
    expect(one).toStrictEqual(two)
    expect(one.metadata).not.toBe(two.metadata)
    expect(one.spec.infrastructureRef).not.toBe(two.spec.infrastructureRef)
  })
})

describe('interceptors', () => {
  it('replace one verb; the others pass through', async () => {
    const { client } = setup({
      interceptors: {
        create: async (inner, obj) => {
          if (obj.kind === 'GenericInfrastructureMachine') throw new Error('injected create failure')
          return inner.create(obj)
        },
      },
    })
    await client.create(machine('a'))
    await expect(client.create(infraMachine('i'))).rejects.toThrow('injected create failure')
    expect(await names(client)).toEqual(['default/a'])
  })

  it('receive the wrapped client, so passing the call on does not recurse', async () => {
    const calls: string[] = []
    const { client } = setup({
      objects: [machine('a')],
      interceptors: {
        get: async (inner, key, obj) => {
          calls.push(`get ${key.name}`)
          return inner.get(key, obj)
        },
      },
    })
    const got = await client.get({ namespace: 'default', name: 'a' }, new Machine())
    expect([calls, got.metadata.name]).toEqual([['get a'], 'a'])
  })

  it('cover every verb, with subresource calls naming "status"', async () => {
    const seen: string[] = []
    const record = (verb: string) => async (...args: unknown[]) => {
      seen.push(typeof args[1] === 'string' ? `${verb}:${args[1]}` : verb)
    }
    const { client } = setup({
      interceptors: {
        get: record('get'),
        list: record('list'),
        create: record('create'),
        update: record('update'),
        patch: record('patch'),
        delete: record('delete'),
        deleteAllOf: record('deleteAllOf'),
        subResourceUpdate: record('subResourceUpdate'),
        subResourcePatch: record('subResourcePatch'),
      },
    })
    const m = machine('a')
    await client.get(keyOf(m), m)
    await client.list(new MachineList())
    await client.create(m)
    await client.update(m)
    await client.patch(m, mergePatch({}))
    await client.delete(m)
    await client.deleteAllOf(m)
    await client.status().update(m)
    await client.status().patch(m, mergePatch({}))
    expect(seen).toEqual(['get', 'list', 'create', 'update', 'patch', 'delete', 'deleteAllOf', 'subResourceUpdate:status', 'subResourcePatch:status'])
  })
})

describe('errors', () => {
  it.each([
    [new NotFoundError('machines.cluster.x-k8s.io', 'a'), 'NotFound', 404, isNotFound],
    [new ConflictError('machines.cluster.x-k8s.io', 'a', 'why'), 'Conflict', 409, isConflict],
    [new AlreadyExistsError('machines.cluster.x-k8s.io', 'a'), 'AlreadyExists', 409, isAlreadyExists],
    [new InvalidError('Machine.cluster.x-k8s.io', 'a', 'why'), 'Invalid', 422, isInvalid],
    [new BadRequestError('why'), 'BadRequest', 400, isBadRequest],
  ] as const)('%s is a StatusError with its reason and code, recognised only by its helper', (err, reason, code, is) => {
    expect(err).toBeInstanceOf(StatusError)
    expect([err.reason, err.code, is(err)]).toEqual([reason, code, true])
    const helpers = [isNotFound, isConflict, isAlreadyExists, isInvalid, isBadRequest]
    expect(helpers.filter((h) => h(err))).toEqual([is])
    expect(helpers.some((h) => h(new Error(err.message)) || h(undefined))).toBe(false)
  })
})

describe('the invariant harness', () => {
  it('catches a store that breaks an invariant', () => {
    const store = new ObjectStore()
    const gvk = { group: 'cluster.x-k8s.io', version: 'v1beta2', kind: 'Machine' }
    const shared = { l: '1' }
    store.set(gvk, { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Machine', metadata: { name: 'a', resourceVersion: '1', labels: shared } })
    expect(() => checkStoreInvariants(store)).not.toThrow()
    store.set(gvk, { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Machine', metadata: { name: 'b', resourceVersion: '1', labels: shared } })
    expect(() => checkStoreInvariants(store)).toThrow(
      'cluster.x-k8s.io/v1beta2, Kind=Machine /b: shares a nested object with another stored object',
    )
    store.set(gvk, { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Machine', metadata: { name: 'b', resourceVersion: 'x' } })
    expect(() => checkStoreInvariants(store)).toThrow(InvariantError)
  })

  it('catches a client that hands out a stored object', async () => {
    const store = new ObjectStore()
    const leaky = new FakeClientBuilder().withScheme(newScheme()).withObjectStore(store).withObjects(machine('a')).build()
    const broken: Client = Object.assign(Object.create(leaky) as Client, {
      get: async <T extends KubeObject>(): Promise<T> => store.entries()[0].object as unknown as T,
    })
    const client = withInvariants(broken, store)
    await expect(client.get({ namespace: 'default', name: 'a' }, new Machine())).rejects.toThrow(
      'a value the caller holds is (part of) a stored object',
    )
  })

  it('uses the clock given to the builder', () => {
    expect(Now.toISOString()).toBe('2026-01-02T03:04:05.678Z')
  })
})

describe('merge patches (RFC 7386 appendix A)', () => {
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ] as [JsonValue, JsonValue, JsonValue][])('apply(%j, %j) = %j, without mutating the target', (target, patch, expected) => {
    const before = structuredClone(target)
    expect(applyMergePatch(target, patch)).toStrictEqual(expected)
    expect(target).toStrictEqual(before)
  })

  it('createMergePatch is the smallest patch that turns the original into the modified object', () => {
    const original: JsonObject = { a: 1, b: { c: 2, d: [1, 2] }, gone: true }
    const modified: JsonObject = { a: 1, b: { c: 3, d: [1, 2] }, added: 'x' }
    const patch = createMergePatch(original, modified)
    expect(patch).toStrictEqual({ gone: null, b: { c: 3 }, added: 'x' })
    expect(applyMergePatch(original, patch)).toStrictEqual(modified)
  })
})

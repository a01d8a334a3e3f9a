import { describe, expect, it } from 'vitest'
import {
  Cluster,
  ClusterApiGroupVersion,
  GenericInfrastructureMachine,
  Machine,
  MachineList,
  MachineSet,
  UnstructuredList,
  addClusterApiToScheme,
  addToScheme,
  formatGroupVersion,
  gvkFromApiVersionKind,
  gvkToString,
  parseGroupVersion,
} from '../../example-controller/api/index.ts'
import { NotRegisteredError, RegistrationError, Scheme, newScheme } from '../../example-controller/scheme/index.ts'

const machineGvk = { group: 'cluster.x-k8s.io', version: 'v1beta2', kind: 'Machine' }

class Widget {
  apiVersion = ''
  kind = ''
  metadata = {}
  size?: string
}

class OtherWidget {
  metadata = {}
}

describe('Scheme registration', () => {
  it('addKnownTypes registers each type under its static kind; new() makes an instance with apiVersion/kind', () => {
    const scheme = new Scheme()
    scheme.addKnownTypes(ClusterApiGroupVersion, Machine, MachineList)
    const made = scheme.new(machineGvk)
    expect(made).toBeInstanceOf(Machine)
    expect(made).toMatchObject({ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Machine' })
    expect([...scheme.allKnownTypes().keys()]).toEqual([
      'cluster.x-k8s.io/v1beta2, Kind=Machine',
      'cluster.x-k8s.io/v1beta2, Kind=MachineList',
    ])
  })

  it('falls back to the class name when a type has no static kind', () => {
    const scheme = new Scheme()
    scheme.addKnownTypes({ group: 'x.example', version: 'v1' }, Widget)
    expect(scheme.recognizes({ group: 'x.example', version: 'v1', kind: 'Widget' })).toBe(true)
  })

  it('registering the same type for a GroupVersionKind again is a no-op', () => {
    const scheme = new Scheme()
    addToScheme(scheme)
    const before = scheme.allKnownTypes()
    addToScheme(scheme)
    scheme.addKnownTypeWithName(machineGvk, Machine)
    expect(scheme.allKnownTypes()).toEqual(before)
  })

  it('a different type for a registered GroupVersionKind is an error naming both types and the scheme', () => {
    const scheme = new Scheme('s1')
    scheme.addKnownTypeWithName(machineGvk, Machine)
    expect(() => scheme.addKnownTypeWithName(machineGvk, Widget)).toThrow(
      new RegistrationError(
        'double registration of different types for cluster.x-k8s.io/v1beta2, Kind=Machine: old=Machine, new=Widget in scheme "s1"',
      ),
    )
    expect(scheme.new(machineGvk)).toBeInstanceOf(Machine)
  })

  it('an empty version or kind is an error', () => {
    const scheme = new Scheme('s2')
    expect(() => scheme.addKnownTypeWithName({ group: 'x', version: '', kind: 'Widget' }, Widget)).toThrow(
      'version is required on all types: x/, Kind=Widget (scheme "s2")',
    )
    expect(() => scheme.addKnownTypeWithName({ group: 'x', version: 'v1', kind: '' }, Widget)).toThrow(RegistrationError)
    expect(scheme.allKnownTypes().size).toBe(0)
  })

  it('one type may be registered under several GroupVersionKinds', () => {
    const scheme = new Scheme()
    scheme.addKnownTypeWithName({ group: 'x', version: 'v1', kind: 'Widget' }, Widget)
    scheme.addKnownTypeWithName({ group: 'x', version: 'v2', kind: 'Widget' }, Widget)
    expect(scheme.objectKinds(new Widget())).toEqual([
      { group: 'x', version: 'v1', kind: 'Widget' },
      { group: 'x', version: 'v2', kind: 'Widget' },
    ])
    expect(scheme.new({ group: 'x', version: 'v2', kind: 'Widget' })).toMatchObject({ apiVersion: 'x/v2', kind: 'Widget' })
  })
})

describe('Scheme lookups', () => {
  it('new() of an unknown GroupVersionKind names the kind, version and scheme', () => {
    const scheme = new Scheme('s3')
    const err = (() => {
      try {
        scheme.new(machineGvk)
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(NotRegisteredError)
    expect(err).toHaveProperty('message', 'no kind "Machine" is registered for version "cluster.x-k8s.io/v1beta2" in scheme "s3"')
  })

  it('objectKinds of a typed object comes from its constructor, and an unknown type names the type and scheme', () => {
    const scheme = newScheme()
    expect(scheme.objectKinds(new MachineSet())).toEqual([{ group: 'cluster.x-k8s.io', version: 'v1beta2', kind: 'MachineSet' }])
    // A typed object's own apiVersion/kind fields do not matter: the constructor does.
    const lying = Object.assign(new Machine(), { kind: 'Cluster' })
    expect(scheme.objectKinds(lying)[0].kind).toBe('Machine')
    const named = new Scheme('my-scheme')
    expect(() => named.objectKinds(new OtherWidget())).toThrow(
      'no kind is registered for the type OtherWidget in scheme "my-scheme"',
    )
  })

  it('objectKinds of an unstructured object comes from apiVersion/kind, registered or not', () => {
    const scheme = new Scheme('s4')
    expect(scheme.objectKinds({ apiVersion: 'x.example/v1', kind: 'Thing', metadata: {} })).toEqual([
      { group: 'x.example', version: 'v1', kind: 'Thing' },
    ])
    expect(scheme.objectKinds({ apiVersion: 'v1', kind: 'ConfigMap' })).toEqual([{ group: '', version: 'v1', kind: 'ConfigMap' }])
    expect(scheme.objectKinds(new UnstructuredList({ apiVersion: 'x.example/v1', kind: 'ThingList' }))[0].kind).toBe('ThingList')
    expect(() => scheme.objectKinds({ apiVersion: 'x/v1' })).toThrow('unstructured object has no kind (scheme "s4")')
    expect(() => scheme.objectKinds({ kind: 'Thing' })).toThrow('unstructured object has no version (scheme "s4")')
  })

  it('recognizes() is true exactly for registered GroupVersionKinds', () => {
    const scheme = newScheme()
    expect(scheme.recognizes(machineGvk)).toBe(true)
    expect(scheme.recognizes({ ...machineGvk, version: 'v1beta1' })).toBe(false)
    expect(scheme.recognizes({ ...machineGvk, group: 'other' })).toBe(false)
  })

  it('allKnownTypes() is a copy: changing it does not change the scheme', () => {
    const scheme = newScheme()
    const known = scheme.allKnownTypes()
    known.delete(gvkToString(machineGvk))
    known.set('x/v1, Kind=Widget', Widget)
    expect(scheme.recognizes(machineGvk)).toBe(true)
    expect(scheme.recognizes({ group: 'x', version: 'v1', kind: 'Widget' })).toBe(false)
    expect(scheme.allKnownTypes()).not.toBe(scheme.allKnownTypes())
  })
})

describe('defaulting', () => {
  it('default() applies the function registered for the type; the last registration wins', () => {
    const scheme = newScheme()
    scheme.addTypeDefaultingFunc(MachineSet, (ms) => {
      ms.spec.replicas ??= 1
    })
    scheme.addTypeDefaultingFunc(MachineSet, (ms) => {
      ms.spec.replicas ??= 3
      ms.spec.deletion ??= { order: 'Random' }
    })
    const ms = new MachineSet()
    scheme.default(ms)
    expect([ms.spec.replicas, ms.spec.deletion]).toEqual([3, { order: 'Random' }])
    const explicit = new MachineSet({ spec: { ...new MachineSet().spec, replicas: 0 } })
    scheme.default(explicit)
    expect(explicit.spec.replicas).toBe(0)
  })

  it('default() leaves objects without a defaulting function, and unstructured objects, unchanged', () => {
    const scheme = newScheme()
    scheme.addTypeDefaultingFunc(MachineSet, (ms) => {
      ms.spec.replicas = 1
    })
    const m = new Machine()
    scheme.default(m)
    expect(m).toStrictEqual(new Machine())
    const u = { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineSet', metadata: {}, spec: {} }
    scheme.default(u)
    expect(u.spec).toEqual({})
  })
})

describe('newScheme', () => {
  it('installs the whole example API', () => {
    expect([...newScheme().allKnownTypes().keys()].sort()).toMatchInlineSnapshot(`
      [
        "bootstrap.cluster.x-k8s.io/v1beta2, Kind=GenericBootstrapConfig",
        "bootstrap.cluster.x-k8s.io/v1beta2, Kind=GenericBootstrapConfigList",
        "bootstrap.cluster.x-k8s.io/v1beta2, Kind=GenericBootstrapConfigTemplate",
        "bootstrap.cluster.x-k8s.io/v1beta2, Kind=GenericBootstrapConfigTemplateList",
        "cluster.x-k8s.io/v1beta2, Kind=Cluster",
        "cluster.x-k8s.io/v1beta2, Kind=ClusterList",
        "cluster.x-k8s.io/v1beta2, Kind=Machine",
        "cluster.x-k8s.io/v1beta2, Kind=MachineList",
        "cluster.x-k8s.io/v1beta2, Kind=MachineSet",
        "cluster.x-k8s.io/v1beta2, Kind=MachineSetList",
        "infrastructure.cluster.x-k8s.io/v1beta2, Kind=GenericInfrastructureMachine",
        "infrastructure.cluster.x-k8s.io/v1beta2, Kind=GenericInfrastructureMachineList",
        "infrastructure.cluster.x-k8s.io/v1beta2, Kind=GenericInfrastructureMachineTemplate",
        "infrastructure.cluster.x-k8s.io/v1beta2, Kind=GenericInfrastructureMachineTemplateList",
      ]
    `)
  })

  it('returns a new, separately named scheme each time; changing one leaves the other alone', () => {
    const a = newScheme()
    const b = newScheme()
    expect(a).not.toBe(b)
    expect(a.name).toMatch(/^Scheme#\d+$/)
    expect(Number(b.name.slice('Scheme#'.length))).toBe(Number(a.name.slice('Scheme#'.length)) + 1)
    expect(String(a)).toBe(a.name)
    a.addKnownTypeWithName({ group: 'x', version: 'v1', kind: 'Widget' }, Widget)
    expect(b.recognizes({ group: 'x', version: 'v1', kind: 'Widget' })).toBe(false)
  })

  it('addClusterApiToScheme installs only the core kinds', () => {
    const scheme = new Scheme()
    addClusterApiToScheme(scheme)
    expect(scheme.recognizes(scheme.objectKinds(new Cluster())[0])).toBe(true)
    expect(() => scheme.objectKinds(new GenericInfrastructureMachine())).toThrow(NotRegisteredError)
  })
})

describe('group/version helpers', () => {
  it.each([
    ['cluster.x-k8s.io/v1beta2', { group: 'cluster.x-k8s.io', version: 'v1beta2' }],
    ['v1', { group: '', version: 'v1' }],
  ])('%s parses and formats back', (apiVersion, gv) => {
    expect(parseGroupVersion(apiVersion)).toEqual(gv)
    expect(formatGroupVersion(gv)).toBe(apiVersion)
  })

  it('rejects an apiVersion with two slashes, and formats GroupVersionKinds as apimachinery does', () => {
    expect(() => parseGroupVersion('a/b/c')).toThrow('unexpected GroupVersion string: "a/b/c"')
    expect(gvkToString(gvkFromApiVersionKind('v1', 'Pod'))).toBe('/v1, Kind=Pod')
    expect(gvkToString(machineGvk)).toBe('cluster.x-k8s.io/v1beta2, Kind=Machine')
  })
})

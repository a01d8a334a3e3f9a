/** The example Cluster API controller: API types, Scheme, fake client (and the MachineSet reconciler). */
export * from './api/index.ts'
export * from './scheme/index.ts'
export * from './client/index.ts'
export * from './machineset/index.ts'

/** The Scheme: a registry of API types, and `newScheme()` with the example API installed. */
export { Scheme } from './scheme.ts'
export type { DefaultingFunc } from './scheme.ts'
export { newScheme } from './new-scheme.ts'
export { NotRegisteredError, RegistrationError, SchemeError } from './errors.ts'

// The Vitest 5 and Node 24 versions the project is tested (`npm run test:matrix`) and benchmarked (`npm run bench`) on,
// besides the Vitest and Vite of package-lock.json on the repository's Node 20.
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const repo = resolve(import.meta.dirname, '..')
const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'))

/** The version of `name` in package-lock.json. */
export const locked = (name) => lock.packages[`node_modules/${name}`].version

export const VITEST5 = '5.1.1'
export const NODE24 = '24.21.0'

/** The npm registry's package of a Node binary for this machine. */
export function nodePackage(version) {
  return `node-${process.platform}-${process.arch}@${version}`
}

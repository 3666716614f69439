// Types of scripts/bundle.mjs (plain JavaScript, so that it runs before anything is compiled).
/** dist/nianbao.mjs, absolute */
export const BUNDLE: string
/** builds the bundle; resolves to its path */
export function bundle(): Promise<string>
/** true when the bundle is missing or any file it was built from changed since */
export function isStale(): boolean

// The module loader of the test processes (package.json: tap's `node-arg`; test/run.ts for the measured pass), in
// place of tsx's.
//
// On Node 20, loader hooks run on a thread of their own, and every module a process imports — some 700 ES modules
// for the app, most of them TypeBox's and drizzle's small files — is a round trip to that thread. tsx's hooks do
// more on each than this project needs; these do only what it needs (test/loader-hooks.mjs): a relative `./x.js`
// written in a project's `.ts` file resolves to `./x.ts` when that is the file there, and a project's `.ts` file is
// compiled by esbuild (the compiler tsx uses) keeping its lines — which line coverage reads — with an inline source
// map, cached on disk by path and content; everything else goes straight to Node's own resolution. A Node with
// in-thread hooks (module.registerHooks: 22.15 and later, the Docker image's 24) runs them in-thread, as tsx does
// there. Measured: README, Test time.
import * as module from 'node:module'

// stack traces name the TypeScript lines, as under tsx
process.setSourceMapsEnabled(true)
if (typeof module.registerHooks === 'function') {
  const { resolveSync, loadSync } = await import('./loader-hooks.mjs')
  module.registerHooks({ resolve: resolveSync, load: loadSync })
} else {
  module.register('./loader-hooks.mjs', import.meta.url)
}

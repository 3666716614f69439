// tsx bench/profile-summary.ts <file.cpuprofile | folder> [--top 25] [--filter text] [--skip seconds]
// Where the time of a V8 CPU profile (node --cpu-prof, or --cpu-prof on any bench command) goes: the
// functions with the most self time, and the project's own functions by inclusive time. Given a folder,
// it reads the busiest profile in it (the main thread's, not tsx's loader thread's). `--skip 30` leaves out
// the first 30 s of the profile (start-up and warm-up), so that what remains is the server under load.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { numberFlag, parseFlags } from './lib/args.js'

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount: number
  children?: number[]
}
interface Profile {
  nodes: Node[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

const args = process.argv.slice(2)
const target = args.find((a) => !a.startsWith('--'))
if (!target) throw new Error('usage: tsx bench/profile-summary.ts <file.cpuprofile | folder> [--top 25]')
const flags = parseFlags(args.filter((a) => a !== target))
const top = numberFlag(flags, 'top', 25)
const skipUs = flags.skip === undefined ? 0 : numberFlag(flags, 'skip', 0) * 1e6

/** Sampled time outside (idle) and (program), in µs. */
function busy(p: Profile): number {
  const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id))
  return p.samples.reduce((s, id, i) => s + (idle.has(id) ? 0 : (p.timeDeltas[i + 1] ?? 0)), 0)
}
const candidates = statSync(target).isDirectory()
  ? readdirSync(target)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(target, f))
  : [target]
const loaded = candidates.map((f) => ({ f, p: JSON.parse(readFileSync(f, 'utf8')) as Profile }))
if (!loaded.length) throw new Error(`no .cpuprofile in ${target}`)
const { f: file, p: profile } = loaded.reduce((a, b) => (busy(b.p) > busy(a.p) ? b : a))

const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const parent = new Map<number, number>()
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
// time per node from the samples (timeDeltas[i] is the time before sample i)
const self = new Map<number, number>()
let elapsed = 0
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i + 1] ?? 0
  elapsed += profile.timeDeltas[i] ?? 0
  if (elapsed < skipUs) continue
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt)
}
const total = [...self.values()].reduce((s, x) => s + x, 0)

/**
 * A bundle (dist/nianbao.mjs) names each module it holds in a comment line (`// src/app.ts`,
 * `// node_modules/fastify/lib/route.js`): a frame's line tells which source module it came from.
 */
const bundles = new Map<string, Array<[number, string]>>()
function bundleModule(url: string, line: number): string | undefined {
  if (!url.endsWith('.mjs') || !url.includes('/dist/')) return undefined
  let starts = bundles.get(url)
  if (!starts) {
    starts = []
    readFileSync(url, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        const m = /^\/\/ ((?:src|routes|db|node_modules)\/\S+)$/.exec(text)
        if (m) starts!.push([i, m[1]])
      })
    bundles.set(url, starts)
  }
  let lo = 0
  let hi = starts.length - 1
  let found: string | undefined
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (starts[mid][0] <= line) {
      found = starts[mid][1]
      lo = mid + 1
    } else hi = mid - 1
  }
  return found
}

const where = (n: Node) => {
  const raw = n.callFrame.url.replace(/^file:\/\//, '')
  const url = bundleModule(raw, n.callFrame.lineNumber) ?? raw
  const short = url.includes('node_modules/')
    ? `npm:${url.slice(url.lastIndexOf('node_modules/') + 13)}`
    : url.startsWith('/')
      ? relative(process.cwd(), url)
      : url
  // tsx's output keeps no line numbers worth showing (everything is line 1)
  const line = n.callFrame.lineNumber > 0 && url === raw ? `:${n.callFrame.lineNumber + 1}` : ''
  return `${n.callFrame.functionName || '(anonymous)'} ${short}${short ? line : ''}`.trim()
}

const selfByFrame = new Map<string, number>()
for (const [id, t] of self) {
  const key = where(byId.get(id)!)
  selfByFrame.set(key, (selfByFrame.get(key) ?? 0) + t)
}
// inclusive: a frame counts once per sample even when it recurses
const inclusive = new Map<string, number>()
for (const [id, t] of self) {
  const seen = new Set<string>()
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const key = where(byId.get(cur)!)
    if (seen.has(key)) continue
    seen.add(key)
    inclusive.set(key, (inclusive.get(key) ?? 0) + t)
  }
}

const pct = (t: number) => `${((100 * t) / total).toFixed(1).padStart(5)} %`
const print = (title: string, entries: Array<[string, number]>) => {
  console.log(`\n${title}`)
  for (const [k, t] of entries.slice(0, top)) console.log(`${pct(t)}  ${(t / 1000).toFixed(0).padStart(7)} ms  ${k}`)
}
const busyShown = [...self].reduce((s, [id, t]) => s + (byId.get(id)!.callFrame.functionName === '(idle)' ? 0 : t), 0)
console.log(
  `${file}: ${(total / 1e6).toFixed(2)} s sampled${skipUs ? ` after the first ${skipUs / 1e6} s` : ''}, ${(busyShown / 1e6).toFixed(2)} s busy`
)
print(
  'self time',
  [...selfByFrame].sort((a, b) => b[1] - a[1])
)
// self time per package (npm) or project file
const selfByModule = new Map<string, number>()
for (const [k, t] of selfByFrame) {
  const loc = k.slice(k.lastIndexOf(' ') + 1).replace(/:\d+$/, '')
  const module = loc.startsWith('npm:')
    ? 'npm:' +
      loc
        .slice(4)
        .split('/')
        .slice(0, loc.slice(4).startsWith('@') ? 2 : 1)
        .join('/')
    : loc || k
  selfByModule.set(module, (selfByModule.get(module) ?? 0) + t)
}
print(
  'self time by package or file',
  [...selfByModule].sort((a, b) => b[1] - a[1])
)
const own = (k: string) => /\.(ts|js)\b/.test(k) && !k.includes('npm:') && !k.includes('node:')
const filter = typeof flags.filter === 'string' ? flags.filter : undefined
print(
  filter ? `inclusive time, frames matching ${filter}` : 'inclusive time, project frames',
  [...inclusive].filter(([k]) => (filter ? k.includes(filter) : own(k))).sort((a, b) => b[1] - a[1])
)

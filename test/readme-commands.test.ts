// The README runs as written: every shell block (```sh or ```bash) is run with bash, command by command, top
// to bottom, against a server started as the quick start leaves it — the sample report loaded, the bootstrap
// key in data/bootstrap-admin-key — in a scratch folder that looks like a fresh clone (the project's files
// linked in, its own data/). `localhost:3000` in a command is the test server's address.
//
// What is asserted, per command (a line, with its `\` continuations; comment lines are skipped):
// - it exits 0;
// - every HTTP answer curl receives is below 400, unless the command ends with `# → NNN`: then its last
//   answer has that status;
// - `# → NNN text` or `# → text`: the command's output contains `text` as written.
// Shell variables a command sets (`KEY=…`, `export KEY=…`) are kept for the commands after it.
//
// A block that must not run here (installing, the test suite itself, Docker, the internet) is marked by the
// HTML comment `<!-- not run: why -->` on the line just before its fence, which a reader does not see.
import t from 'tap'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildApp } from '../src/app.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')

export interface Command {
  /** the README's line number of its first line */
  line: number
  text: string
  /** `# → NNN`: the status of its last HTTP answer */
  status?: number
  /** `# → … text`: what its output contains */
  output?: string
}

export interface Block {
  line: number
  skipped: string | null
  commands: Command[]
}

/** The shell blocks of a Markdown text, with their commands and what the README says they answer. */
export function shellBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i])
    if (!open) continue
    const indent = open[1].length
    let end = i + 1
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++
    if (open[2] === 'sh' || open[2] === 'bash') {
      let before = i - 1
      while (before >= 0 && lines[before].trim() === '') before--
      const skip = before >= 0 ? /^\s*<!--\s*not run:\s*(.*?)\s*-->\s*$/.exec(lines[before]) : null
      blocks.push({
        line: i + 1,
        skipped: skip ? skip[1] : null,
        commands: commandsOf(
          lines.slice(i + 1, end).map((l) => l.slice(indent)),
          i + 2
        )
      })
    }
    i = end
  }
  return blocks
}

function commandsOf(lines: string[], firstLine: number): Command[] {
  const commands: Command[] = []
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '' || lines[i].trim().startsWith('#')) continue
    const start = i
    let text = lines[i]
    while (text.trimEnd().endsWith('\\') && i + 1 < lines.length) text += `\n${lines[++i]}`
    const command: Command = { line: firstLine + start, text }
    const note = /\s#\s*→\s*(.*)$/m.exec(text)
    if (note) {
      const said = /^(\d{3})\b\s*(.*)$/.exec(note[1].trim())
      if (said) {
        command.status = Number(said[1])
        if (said[2]) command.output = said[2]
      } else command.output = note[1].trim()
    }
    commands.push(command)
  }
  return commands
}

t.test('the blocks are read as documented', async (t) => {
  const blocks = shellBlocks(
    [
      '```sh',
      'curl -s localhost:3000/a   # → 304 Not Modified',
      '# a comment',
      'curl -s -X POST localhost:3000/b \\',
      "  -d '{}'   # → 201",
      '```',
      '<!-- not run: needs Docker -->',
      '```bash',
      'docker run x',
      '```',
      '```text',
      'not a command',
      '```',
      '  ```sh',
      '  export KEY=$(cat data/key)   # → nothing',
      '  ```'
    ].join('\n')
  )
  t.same(blocks, [
    {
      line: 1,
      skipped: null,
      commands: [
        { line: 2, text: 'curl -s localhost:3000/a   # → 304 Not Modified', status: 304, output: 'Not Modified' },
        { line: 4, text: "curl -s -X POST localhost:3000/b \\\n  -d '{}'   # → 201", status: 201 }
      ]
    },
    { line: 8, skipped: 'needs Docker', commands: [{ line: 9, text: 'docker run x' }] },
    { line: 14, skipped: null, commands: [{ line: 15, text: 'export KEY=$(cat data/key)   # → nothing', output: 'nothing' }] }
  ])
})

/** A folder like a fresh clone after the quick start: the project's files linked, its own data/. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-readme-'))
  for (const name of [
    'package.json',
    'package-lock.json',
    'node_modules',
    'tsconfig.json',
    'scripts',
    'src',
    'routes',
    'db',
    'web',
    'examples',
    'openapi',
    'dist'
  ]) {
    try {
      symlinkSync(join(ROOT, name), join(dir, name))
    } catch {
      // a file the checkout does not have (dist/ before a build)
    }
  }
  mkdirSync(join(dir, 'data'))
  return dir
}

/** Runs one command with bash in the workspace; curl reports each answer's status on stderr. */
function runCommand(
  dir: string,
  state: string,
  names: string[],
  text: string,
  env: NodeJS.ProcessEnv
): Promise<{ code: number | null; stdout: string; stderr: string; statuses: number[] }> {
  const script = [
    `source ${JSON.stringify(state)}`,
    `curl() { command curl --max-time 120 --write-out '%{stderr}\\nreadme-test-status %{http_code}\\n' "$@"; }`,
    text,
    'code=$?',
    names.length ? `declare -p ${names.join(' ')} > ${JSON.stringify(state)} 2>/dev/null` : ':',
    'exit $code'
  ].join('\n')
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => {
      const statuses = [...stderr.matchAll(/^readme-test-status (\d{3})$/gm)].map((m) => Number(m[1]))
      resolve({ code, stdout, stderr: stderr.replace(/^readme-test-status \d{3}\n?/gm, ''), statuses })
    })
  })
}

// some 130 commands, a few of them starting the command-line tools: minutes on a busy machine
t.setTimeout(900_000)

t.test('every command of the README works as written, against a fresh start', async (t) => {
  t.setTimeout(900_000)
  const dir = workspace()
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const app = await buildApp({
    databaseFile: join(dir, 'data', 'nianbao.db'),
    sampleData: true,
    logger: false,
    bootstrapKeyFile: join(dir, 'data', 'bootstrap-admin-key'),
    // a PDF's reading is bounded by time (10 s by default); a machine busy with other tests must not fail it
    imports: { timeoutMs: 300_000 }
  })
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }

  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env))
    if (!/^(DATABASE_|BOOTSTRAP_|PORT$|HOST$|NODE_ENV$|NODE_OPTIONS$|_TAPJS|TAP_)/.test(k)) env[k] = v
  const state = join(dir, '.readme-state')
  writeFileSync(state, '')
  const names: string[] = []

  const blocks = shellBlocks(README)
  t.ok(blocks.filter((b) => !b.skipped).length >= 10, 'the README has blocks to run')
  for (const block of blocks) {
    if (block.skipped) continue
    for (const command of block.commands) {
      for (const m of command.text.matchAll(/(?:^|[\s;&|(])(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=/g))
        if (!names.includes(m[1])) names.push(m[1])
      const text = command.text.replaceAll('localhost:3000', `127.0.0.1:${port}`)
      const result = await runCommand(dir, state, names, text, env)
      const where = `README.md:${command.line}: ${command.text.split('\n')[0].slice(0, 100)}`
      const seen = `\n--- stdout\n${result.stdout.slice(0, 1500)}\n--- stderr\n${result.stderr.slice(0, 1500)}`
      // what the command printed, shown only when an assertion fails
      const detail = (ok: boolean) => (ok ? '' : seen)
      t.equal(result.code, 0, `${where} exits 0${detail(result.code === 0)}`)
      if (command.status !== undefined)
        t.equal(
          result.statuses.at(-1),
          command.status,
          `${where} answers ${command.status}${detail(result.statuses.at(-1) === command.status)}`
        )
      else {
        const errors = result.statuses.filter((s) => s >= 400 || s === 0)
        t.same(errors, [], `${where}: no error answer${detail(errors.length === 0)}`)
      }
      if (command.output !== undefined)
        t.ok(result.stdout.includes(command.output), `${where} says ${command.output}${detail(result.stdout.includes(command.output))}`)
    }
  }
})
